// ESLint for the map's script: the recommended rules, for a classic script run in the browser
// with Leaflet's global L. tests/render/test_js_lint.py runs it from the repository's top folder:
//   tests/js/node_modules/.bin/eslint --config tests/js/eslint.config.js geomap/render/static
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["geomap/render/static/**/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: {...globals.browser, L: "readonly"},
    },
    linterOptions: {reportUnusedDisableDirectives: "error"},
  },
];
