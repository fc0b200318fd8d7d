/** JumpStart model ids: the catalog (live or bundled snapshot), version selection and hosting resolution. */
export * from "./types";
export * from "./versions";
export * from "./errors";
export * from "./catalog";
export * from "./resolve";
export * from "./snapshot";
