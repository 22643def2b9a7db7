// Runs inside a test container's netns: answers every TCP connection and UDP datagram on the given
// ports with "<name> <what it received>", so a client learns *who* answered. Prints "ready" once
// every socket is bound. Usage: node echo-server.mjs NAME PORT...
import { createServer } from "node:net";
import { createSocket } from "node:dgram";

const [name, ...ports] = process.argv.slice(2);
let pending = ports.length * 2;
const bound = () => {
  if (--pending === 0) process.stdout.write("ready\n");
};
for (const port of ports.map(Number)) {
  createServer((socket) => {
    socket.once("data", (data) => socket.end(`${name} ${data.toString()}`));
    socket.on("error", () => socket.destroy());
  }).listen({ port, host: "::", ipv6Only: false }, bound);
  const udp = createSocket({ type: "udp6", ipv6Only: false });
  udp.on("message", (data, from) => udp.send(`${name} ${data.toString()}`, from.port, from.address));
  udp.bind(port, "::", bound);
}
