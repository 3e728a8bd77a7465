/** The child-process helpers now live in test/helpers/child.ts; bench/run.ts still imports them here. */
export { stopAll } from "../../test/helpers/child.ts";
