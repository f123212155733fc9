export * from "./matrix.js";
