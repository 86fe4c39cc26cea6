/**
 * The final snapshot suffixes the scheduler arms: unique per run and per stack (two dev stacks in one account
 * and region never take one name), within what the stack config and both services accept, and the form
 * earlier versions armed (no stack) still read as this stack's.
 */
import * as assert from "assert";
import fc from "fast-check";
import { isRunSuffixOf, runStamp, runSuffix, stackLabel } from "./snapshots";
import { FRIDAY_EVENING } from "./testing/harness";

/** `finalSnapshotSuffix`'s rule (stacks/config/snapshots.ts, components/redis/redisPlan.ts). */
const SUFFIX_RULE = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** DocumentDB's FinalDBSnapshotIdentifier: letters, digits, single hyphens, first a letter, no hyphen last (components/mongo/mongoPlan.ts). */
const DOCDB_IDENTIFIER = /^[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$/;
/** Pulumi stack names: letters, digits, `-`, `_` and `.`. */
const STACK_NAME = fc.stringMatching(/^[A-Za-z0-9._-]{1,100}$/);

describe("final snapshot suffixes", () => {
    it("name the stack: two stacks tearing down in the same minute take different snapshots", () => {
        assert.strictEqual(runSuffix("td", FRIDAY_EVENING, "dev"), "td-20261127t1800z-dev");
        assert.strictEqual(runSuffix("up", FRIDAY_EVENING, "dev-2"), "up-20261127t1800z-dev-2");
        assert.notStrictEqual(runSuffix("td", FRIDAY_EVENING, "dev"), runSuffix("td", FRIDAY_EVENING, "dev-2"));
        assert.strictEqual(runStamp("td", FRIDAY_EVENING), "td-20261127t1800z");
    });

    it("fit the suffix rule and DocumentDB's identifier rule for every stack name, and tell stacks apart", () => {
        fc.assert(fc.property(STACK_NAME, STACK_NAME, (a, b) => {
            const suffix = runSuffix("td", FRIDAY_EVENING, a);
            assert.match(suffix, SUFFIX_RULE);
            assert.match(`users-${suffix}`, DOCDB_IDENTIFIER);
            assert.ok(isRunSuffixOf(suffix, a));
            if (a !== b) assert.notStrictEqual(stackLabel(a), stackLabel(b), `${a} and ${b} share a label`);
        }), { numRuns: 500 });
        assert.notStrictEqual(stackLabel("Dev"), stackLabel("dev"), "stack names are case-sensitive; AWS identifiers are not");
        assert.notStrictEqual(stackLabel("dev.a"), stackLabel("dev-a"));
        assert.match(stackLabel("x".repeat(100)), /^x{13}-[0-9a-f]{8}$/);
    });

    it("are this stack's when they name it, or no stack (the form earlier versions armed); never another stack's", () => {
        assert.ok(isRunSuffixOf("td-20261127t1800z-dev", "dev"));
        assert.ok(isRunSuffixOf("td-20261127t1800z", "dev"));
        assert.ok(isRunSuffixOf("UP-20261127T1800Z-DEV", "dev"), "AWS keeps identifiers in lower case");
        assert.ok(!isRunSuffixOf("td-20261127t1800z-dev-2", "dev"));
        assert.ok(!isRunSuffixOf("td-20261127t1800z-dev", "dev-2"));
        assert.ok(!isRunSuffixOf("final", "dev"));
        assert.ok(!isRunSuffixOf("eu-td-20261127t1800z-dev", "dev"));
    });

    it("label a qualified stack name (myorg/dev, myorg/project/dev) by the stack alone, as its stack file is named", () => {
        for (const qualified of ["myorg/dev", "myorg/intergalactic/dev"]) {
            assert.strictEqual(runSuffix("td", FRIDAY_EVENING, qualified), "td-20261127t1800z-dev");
            assert.ok(isRunSuffixOf(runSuffix("td", FRIDAY_EVENING, qualified), "dev"), `${qualified} arms what a run of dev finds`);
            assert.ok(isRunSuffixOf(runSuffix("td", FRIDAY_EVENING, "dev"), qualified));
        }
    });
});
