// One TCP or UDP exchange from a test container: sends "probe", prints the answer ("<name> probe")
// and exits 0, or exits 1 when nothing answers within the timeout.
// Usage: node probe.mjs tcp|udp HOST PORT [TIMEOUT_MS]
import { connect } from "node:net";
import { createSocket } from "node:dgram";
import { isIPv6 } from "node:net";

const [proto, host, portText, timeoutText] = process.argv.slice(2);
const port = Number(portText);
const timer = setTimeout(() => process.exit(1), Number(timeoutText ?? 1500));
const done = (answer) => {
  clearTimeout(timer);
  process.stdout.write(`${answer}\n`);
  process.exit(0);
};
if (proto === "tcp") {
  const socket = connect({ host, port }, () => socket.write("probe"));
  let answer = "";
  socket.on("data", (d) => (answer += d.toString()));
  socket.on("end", () => done(answer));
  socket.on("error", () => process.exit(1));
} else {
  const udp = createSocket(isIPv6(host) ? "udp6" : "udp4");
  udp.on("message", (d) => done(d.toString()));
  udp.send("probe", port, host);
}
