// Type tests: compiled by `npm run typecheck`, never run. A line marked @ts-expect-error fails the
// type check if it ever compiles.
import { Server, type Socket } from "socket.io";
import { io as connectClient } from "socket.io-client";
import checkSocketioValibotAuthDefault, {
  isCheckSocketioValibotAuthError,
  checkSocketioValibotAuth,
  type CheckSocketioValibotAuthErrorCode,
  type CheckSocketioValibotAuthSocketData,
} from "../src/index.js";

interface User {
  id: string;
}
declare function findUser(token: string): Promise<User | undefined>;

// An untyped server: `socket.data` is `any`.
{
  const io = new Server();
  io.use(checkSocketioValibotAuth());
  io.use(checkSocketioValibotAuthDefault({ required: false }));
  io.of("/admin").use(checkSocketioValibotAuth({ authField: "apiKey", verify: findUser }));
  io.on("connection", (socket) => {
    const user: User | undefined = socket.data.checkSocketioValibotAuth;
    void user;
  });

  // @ts-expect-error the factory must be called: io.use(checkSocketioValibotAuth())
  io.use(checkSocketioValibotAuth);
}

// A typed server: SocketData extends CheckSocketioValibotAuthSocketData, so `socket.data.checkSocketioValibotAuth` has verify's type.
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
  interface SocketData extends CheckSocketioValibotAuthSocketData<User> {
    room: string;
  }

  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>();
  type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
  io.use(checkSocketioValibotAuth({ verify: findUser }));
  // verify (and onError) may take the typed socket: its data and events keep their types.
  io.use(
    checkSocketioValibotAuth({
      verify: (token, socket: TypedSocket) => socket.data.room !== "" && findUser(token),
      onError: (error, socket) => socket.emit("notice", error.data.message),
    }),
  );
  io.of("/admin").use(checkSocketioValibotAuth({ verify: findUser }));
  io.on("connection", (socket) => {
    const user: User | undefined = socket.data.checkSocketioValibotAuth;
    // @ts-expect-error checkSocketioValibotAuth holds a User, not a string
    const name: string | undefined = socket.data.checkSocketioValibotAuth;
    void user;
    void name;
  });
}

// Options are checked by the compiler as well as at run time.
// @ts-expect-error authField takes a string
checkSocketioValibotAuth({ authField: 42 });
// @ts-expect-error required takes true or false
checkSocketioValibotAuth({ required: "yes" });
// @ts-expect-error timeout takes a finite number
checkSocketioValibotAuth({ timeout: "10" });
// @ts-expect-error unknown option
checkSocketioValibotAuth({ notAnOption: true });
// @ts-expect-error verify receives the credential as a string
checkSocketioValibotAuth({ verify: (credential: number) => credential });

// On the client, the guard narrows the connect_error to the documented data.
const client = connectClient("http://localhost:3000", { auth: { token: "secret" } });
client.on("connect_error", (error) => {
  if (isCheckSocketioValibotAuthError(error)) {
    const code: CheckSocketioValibotAuthErrorCode = error.data.code;
    const message: string = error.data.message;
    void code;
    void message;
  }
});
