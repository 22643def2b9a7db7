import { defineConfig } from "vitest/config";

// Two projects: `unit` needs no privileges; `integration` needs root, real OVS and netns.
// Integration files run one at a time: each starts its own OVS sandbox and the machine has 2 cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          globalSetup: ["test/integration/global-setup.ts"],
        },
      },
    ],
  },
});
