export * from "./messaging.js";
export * from "./needs.js";
export * from "./people.js";
export * from "./programmes.js";
