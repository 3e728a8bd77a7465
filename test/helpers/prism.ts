export { type PrismProcess, startPrism } from "../../mocks/prism/run-prism.ts";
