// ESLint for the TypeScript sources and tests: typescript-eslint's recommended rules, with the
// type-aware ones that catch what this code base can get wrong (a promise left floating in the
// build walk or the job stage), and nothing about layout (Prettier's, see .prettierrc.json).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "target/**", "npm/**", "ts/src/native/binding.ts", "benchmarks/out/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["ts/**/*.ts"],
    languageOptions: { parserOptions: { project: "./tsconfig.lint.json", tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-constant-condition": ["error", { checkLoops: false }],
      // A variable a closure reads before its one assignment stays `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // Walking a chain (scopes, renamed files) starts from `this`.
      "@typescript-eslint/no-this-alias": "off",
    },
  },
  {
    files: ["**/*.mjs", "**/*.cjs", "**/*.js"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        module: "writable",
        require: "readonly",
        __dirname: "readonly",
      },
    },
  },
  prettier,
);
