// Type tests: compiled by `npm run typecheck`, never run. A line marked @ts-expect-error fails the
// type check if it ever compiles.
import { Server, type Socket } from "socket.io";
import { io as connectClient } from "socket.io-client";
import checkSocketioZodAuthDefault, {
  isCheckSocketioZodAuthError,
  checkSocketioZodAuth,
  type CheckSocketioZodAuthErrorCode,
  type CheckSocketioZodAuthSocketData,
} from "../src/index.js";

interface User {
  id: string;
}
declare function findUser(token: string): Promise<User | undefined>;

// An untyped server: `socket.data` is `any`.
{
  const io = new Server();
  io.use(checkSocketioZodAuth());
  io.use(checkSocketioZodAuthDefault());
  io.of("/admin").use(checkSocketioZodAuth({ verify: findUser }));
  io.on("connection", (socket) => {
    const user: User | undefined = socket.data.checkSocketioZodAuth;
    void user;
  });

  // @ts-expect-error the factory must be called: io.use(checkSocketioZodAuth())
  io.use(checkSocketioZodAuth);
}

// A typed server: SocketData extends CheckSocketioZodAuthSocketData, so `socket.data.checkSocketioZodAuth` has verify's type.
{
  interface ClientToServerEvents {
    whoami: (reply: (id: string) => void) => void;
  }
  interface ServerToClientEvents {
    notice: (text: string) => void;
  }
  interface InterServerEvents {
    ping: () => void;
  }
  interface SocketData extends CheckSocketioZodAuthSocketData<User> {
    room: string;
  }

  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>();
  type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
  io.use(checkSocketioZodAuth({ verify: findUser }));
  // verify (and onError) may take the typed socket: its data and events keep their types.
  io.use(
    checkSocketioZodAuth({
      verify: (token, socket: TypedSocket) => socket.data.room !== "" && findUser(token),
      onError: (error, socket) => socket.emit("notice", error.data.message),
    }),
  );
  io.of("/admin").use(checkSocketioZodAuth({ verify: findUser }));
  io.on("connection", (socket) => {
    const user: User | undefined = socket.data.checkSocketioZodAuth;
    // @ts-expect-error checkSocketioZodAuth holds a User, not a string
    const name: string | undefined = socket.data.checkSocketioZodAuth;
    void user;
    void name;
  });
}

// Options are checked by the compiler as well as at run time.
// @ts-expect-error level takes one of "info", "debug"
checkSocketioZodAuth({ level: "other" });
// @ts-expect-error tags takes an array of strings
checkSocketioZodAuth({ tags: "a,b" });
// @ts-expect-error unknown option
checkSocketioZodAuth({ notAnOption: true });
// @ts-expect-error verify receives the credential as a string
checkSocketioZodAuth({ verify: (credential: number) => credential });

// On the client, the guard narrows the connect_error to the documented data.
const client = connectClient("http://localhost:3000", { auth: { token: "secret" } });
client.on("connect_error", (error) => {
  if (isCheckSocketioZodAuthError(error)) {
    const code: CheckSocketioZodAuthErrorCode = error.data.code;
    const message: string = error.data.message;
    void code;
    void message;
  }
});
