/** The files of one template layer folder, relative, with forward slashes, sorted; [] when it does not exist. */
export declare function layerFiles(root: string): string[];
