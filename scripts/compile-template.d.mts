/** A construct the build-time template compiler does not support, or a template Handlebars cannot parse. */
export declare class TemplateCompileError extends Error {}
/** One template's source -> `function (R) { ... }`, the JavaScript factory of its render function; `file` names it in errors. */
export declare function compileTemplate(source: string, file: string): string;
