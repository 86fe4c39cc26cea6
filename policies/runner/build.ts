/**
 * `ts-node --transpile-only policies/runner/build.ts`: compiles the pack to
 * `policies/bin/` (the `main` of policies/package.json), which
 * `pulumi preview --policy-pack policies` then runs.
 */
import { compilePack } from "./compile";

console.log(`compiled the policy pack to ${compilePack()}`);
