/** The plugin's call path in-process, for the verbs and errors that touch nothing on the host. */
import { expect, it } from "vitest";
import { run } from "../../../plugin/run.js";

const call = (env: Record<string, string>, stdin: string) => run(env, Buffer.from(stdin));

it("VERSION answers in the requested version, and in the latest for anything else", async () => {
  expect(await call({ CNI_COMMAND: "VERSION" }, '{"cniVersion":"0.4.0"}')).toEqual({
    exitCode: 0,
    stdout: '{"cniVersion":"0.4.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}\n',
  });
  expect((await call({ CNI_COMMAND: "VERSION" }, "")).stdout).toContain('"cniVersion":"1.1.0"');
});

it("reports a missing CNI_COMMAND as code 4 in one line", async () => {
  expect(await call({}, "{}")).toEqual({ exitCode: 1, stdout: '{"cniVersion":"1.1.0","code":4,"msg":"required env variables [CNI_COMMAND] missing"}\n' });
});

it("checks the config before the environment's values are used", async () => {
  const out = await call({ CNI_COMMAND: "ADD", CNI_CONTAINERID: "c", CNI_NETNS: "/x", CNI_IFNAME: "eth0", CNI_PATH: "/x" }, '{"cniVersion":"0.4.0","name":"n","vlan":-1}');
  expect(out).toEqual({ exitCode: 1, stdout: '{"cniVersion":"0.4.0","code":7,"msg":"vlan: must be >= 0"}\n' });
});
