import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["ts/test/**/*.test.ts"],
    globalSetup: ["ts/test/helpers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
