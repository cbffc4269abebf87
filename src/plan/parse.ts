// The parse entry with the front matter reader loaded: what every caller but the CLI imports.
import "./front-matter-yaml.js";

export * from "./parse-core.js";
