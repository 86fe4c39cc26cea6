/**
 * The Pulumi entry point (`main` in Pulumi.yaml). The language host calls the
 * exported function and uses its result as the stack's outputs.
 */
import { program } from "./program";

export = program;
