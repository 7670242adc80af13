// Lint setup for `hs project lint` (HubSpot CLI 8.x): HubSpot's UI-extension rules on top of
// ESLint's and React's recommended sets, as @hubspot/eslint-config-ui-extensions' README
// recommends for JavaScript-only projects.
import { defineConfig } from "eslint/config";
import js from "@eslint/js";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import unusedImports from "eslint-plugin-unused-imports";
import prettier from "eslint-config-prettier";
import { config as uiExtensionsConfig } from "@hubspot/eslint-config-ui-extensions";

export default defineConfig([
  js.configs.recommended,
  react.configs.flat.recommended,
  react.configs.flat["jsx-runtime"],
  { settings: { react: { version: "detect" } } },
  ...uiExtensionsConfig,
  reactHooks.configs.flat["recommended-latest"],
  {
    plugins: { "unused-imports": unusedImports },
    rules: {
      "no-unused-vars": "off",
      // Props come from hubspot.extend (context, actions), typed by @hubspot/ui-extensions,
      // not from a parent component that prop-types could check.
      "react/prop-types": "off",
      "unused-imports/no-unused-imports": "error",
      "unused-imports/no-unused-vars": ["warn", { vars: "all", varsIgnorePattern: "^_" }],
    },
  },
  prettier,
]);
