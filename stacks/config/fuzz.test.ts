/**
 * Config fuzzing: generated stack configs (over the config schema, with wrong types, out-of-range
 * and hostile values, typos and foreign keys) and hand-picked hostile YAML either plan or fail fast
 * with one message per problem that names the key, the value and the rule: never a stack trace, a
 * hang or a silently ignored key. The bulk runs through the config stage (parse + cross-key rules +
 * data-loss guard), where most rules live; a few generated configs run the whole mocked program.
 */
import * as assert from "assert";
import * as fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { InvalidArgumentsError } from "../../components/common/validation";
import { StackFileError, loadStackFiles } from "../../engine/stackFiles";
import { stackNames } from "../../engine/testing/plan";
import { planError, stackSection } from "../testing";
import { parseStackConfig } from "./index";

/** A problem line names a config key (`namespace:key`, optionally the component arg it became), then the value and the rule. */
const PROBLEM_LINE = /^ - [A-Za-z][\w-]*(:[^\s]*)?( \([^)]*\))?: \S/;

/** Fails unless `message` is an arguments error whose every line names a key. */
function assertNamesKeys(err: unknown): void {
    assert.ok(err instanceof InvalidArgumentsError || err instanceof StackFileError, `not a config error: ${(err as Error)?.stack ?? String(err)}`);
    if (err instanceof InvalidArgumentsError) {
        const lines = err.message.split("\n").slice(1);
        assert.ok(lines.length > 0, err.message);
        for (const line of lines) assert.match(line, PROBLEM_LINE, err.message);
    }
}

const junk = fc.oneof(
    fc.constant(null), fc.boolean(), fc.integer({ min: -1e6, max: 1e6 }), fc.constant(1e308), fc.constant(-0), fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 12 }), fc.constant("x".repeat(5000)), fc.constant("__proto__"), fc.constant(""), fc.constant("0.0.0.0/0"),
    fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }), fc.constant({}), fc.constant({ constructor: 1 }), fc.constant(Array(300).fill("a")),
);
const cidr = fc.oneof(fc.constantFrom("10.0.0.0/16", "10.0.0.0/8", "0.0.0.0/1", "128.0.0.0/1", "1.0.0.0/8", "203.0.113.0/24", "10.0.0.0/33", "::/0", "10.1.2.3/16"), junk);
const count = fc.oneof(fc.integer({ min: -2, max: 8 }), fc.constantFrom(0, 300, 30_000, 3_000_000, 2 ** 31, 1.5), junk);
const flag = fc.oneof(fc.boolean(), junk);

/** The config schema: section -> field -> values to try (valid and not). */
const SCHEMA: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
    network: { cidrBlock: cidr, zoneCount: count, natStrategy: fc.oneof(fc.constantFrom("OnePerAz", "Single", "None", "Many"), junk), avoidCidrs: fc.array(cidr, { maxLength: 3 }), flowLogRetentionDays: count },
    bastion: { sshAllowedCidrs: fc.oneof(fc.array(cidr, { maxLength: 3 }), junk), jumpBox: flag, size: fc.constantFrom("small", "tiny"), zones: fc.oneof(fc.constant(["1", "2", "3"]), fc.constant([]), junk) },
    cluster: { enabled: flag, minNodesPerZone: count, maxNodesPerZone: count, publicEndpointCidrs: fc.oneof(fc.array(cidr, { maxLength: 3 }), junk), logRetentionDays: count, kubernetesVersion: fc.constantFrom("1.34", "1.2", "latest") },
    redis: { enabled: flag, name: fc.constantFrom("cache", "Cache!", "c"), shards: count, replicasPerShard: count, backupRetentionDays: count, deletionProtection: flag, finalSnapshot: flag, engine: fc.constantFrom("valkey", "memcached") },
    mongo: { enabled: flag, name: fc.constantFrom("users", "u", "users2"), instanceCount: count, backupRetentionDays: count, deletionProtection: flag, finalSnapshot: flag, restoreTimestampUtc: fc.constantFrom("2026-11-23T09:00:00Z", "yesterday") },
    kafka: { enabled: flag, brokerCount: count, storageGiB: count, replicationFactor: count, minInSyncReplicas: count, logRetentionDays: count, deletionProtection: flag,
        topics: fc.oneof(fc.array(fc.record({ name: fc.constantFrom("mix", "a b", ""), partitions: count }), { maxLength: 3 }), junk) },
    snapshots: { finalSnapshotSuffix: fc.constantFrom("final", "Final Snapshot", "x".repeat(50)), restore: fc.oneof(fc.constant({ users: "s" }), fc.constant({ user: "s" }), junk) },
    schedule: { schedulable: flag, timeZone: fc.constantFrom("UTC", "Mars/Olympus"), start: fc.constantFrom("07:00", "25:00") },
    services: { host: fc.constantFrom("cookies.example.com", "not a host"), imageTag: fc.constantFrom("1.0.0", "latest"), certificateArn: fc.constantFrom("arn:aws:acm:us-east-1:123456789012:certificate/x", "nope"),
        services: fc.oneof(fc.constant([{ name: "web", image: "ghcr.io/x/web", public: true, env: { DB_PASSWORD: "hunter2" } }]), junk) },
};
/** Keys no section has: a generated config with one must never be accepted. */
const TYPOS = ["zoneCont", "brokers", "regoin", "enable", "__proto__"];

const section = (name: string) => fc.record(
    Object.fromEntries([...Object.entries(SCHEMA[name]), ...TYPOS.map((t) => [t, junk] as const)]),
    { requiredKeys: [] },
).map((v) => ({ name, value: v as Record<string, unknown> }));

const rawConfig = fc.record({
    cloud: fc.constantFrom("aws", "azure", "gcp", ""),
    environment: fc.constantFrom("dev", "prod", "staging"),
    stack: fc.constantFrom("dev", "prod", "prod-azure", "test"),
    region: fc.constantFrom("us-east-1", "eu-west-9", "westeurope", "virginia"),
    sections: fc.array(fc.oneof(...Object.keys(SCHEMA).map(section)), { maxLength: 5 }),
    extra: fc.array(fc.tuple(fc.constantFrom("aws:regoin", "aws:profile", "azure-native:location", "kubernetes:context", "intergalactic:netwrok", "network"), fc.string({ maxLength: 5 })), { maxLength: 2 }),
    asText: fc.boolean(),
});

describe("config fuzzing", function () {
    this.timeout(120_000);

    it("every generated config parses or fails with problems that each name a key, fast", () => {
        fc.assert(fc.property(rawConfig, (c) => {
            const raw: Record<string, string> = { "intergalactic:cloud": c.cloud, "intergalactic:environment": c.environment };
            raw[c.cloud === "azure" ? "azure-native:location" : "aws:region"] = c.region;
            for (const { name, value } of c.sections) raw[`intergalactic:${name}`] = c.asText ? JSON.stringify(value) : JSON.stringify(value).slice(0, 2000);
            for (const [key, value] of c.extra) raw[key] = value;
            const started = Date.now();
            try {
                parseStackConfig(raw, c.stack);
                const typos = c.sections.flatMap((s) => Object.keys(s.value).filter((k) => TYPOS.includes(k)));
                assert.deepStrictEqual(typos, [], "a typo was silently accepted");
                assert.ok(!c.extra.some(([k]) => k === "aws:regoin" || k === "kubernetes:context" || k === "intergalactic:netwrok"), "a foreign key was silently accepted");
            } catch (err) {
                assertNamesKeys(err);
            }
            assert.ok(Date.now() - started < 2000, "took more than 2 s");
        }), { numRuns: 400, seed: 14 });
    });

    it("a few generated prod configs run the whole program: they plan or fail naming keys", async () => {
        const mutation = fc.record({ section: fc.constantFrom("network", "cluster", "redis", "mongo", "kafka", "bastion"), field: fc.string(), pick: fc.nat() });
        await fc.assert(fc.asyncProperty(fc.constantFrom(...stackNames(undefined, "prod")), mutation, async (stack, m) => {
            const fields = Object.entries(SCHEMA[m.section]);
            const [field, values] = fields[m.pick % fields.length];
            const value = fc.sample(values, { numRuns: 1, seed: m.pick })[0];
            const started = Date.now();
            const message = await planError(stack, { [`intergalactic:${m.section}`]: { ...stackSection(stack, m.section), [field]: value } }).catch((err: unknown) => {
                assertNamesKeys(err);
                return "";
            });
            if (message !== "") {
                for (const line of message.split("\n").slice(1)) assert.match(line, PROBLEM_LINE, message);
            }
            assert.ok(Date.now() - started < 20_000, "a plan took more than 20 s");
        }), { numRuns: 6, seed: 14 });
    });

    const hostile: [string, string][] = [
        ["deep nesting", `config:\n  intergalactic:tags: ${"[".repeat(200)}${"]".repeat(200)}\n`],
        ["a self-referencing alias", "config:\n  intergalactic:tags: &a\n    x: *a\n"],
        ["a merge-key bomb", `a: &a {${Array.from({ length: 50 }, (_, i) => `k${i}: v`).join(", ")}}\nb: &b [${Array(50).fill("*a").join(", ")}]\nconfig:\n  intergalactic:tags: {<<: *b}\n`],
        ["multiple documents", "config: {}\n---\nconfig: {}\n"],
        ["a JavaScript tag", "config:\n  intergalactic:cloud: !!js/function 'function () {}'\n"],
        ["binary junk", "\u0000\u0001\u0002config:\n"],
        ["a list at the top", "- config\n"],
        ["config as a string", "config: aws\n"],
        ["tabs", "config:\n\tintergalactic:cloud: aws\n"],
        ["duplicate keys", "config:\n  intergalactic:cloud: aws\n  intergalactic:cloud: azure\n"],
        ["NaN", "config:\n  intergalactic:kafka:\n    brokerCount: .nan\n"],
    ];
    for (const [what, text] of hostile) {
        it(`loads or refuses a stack file with ${what}, by name, quickly`, () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fuzz-"));
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: intergalactic\nruntime: nodejs\n");
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), text);
            const started = Date.now();
            try {
                const files = loadStackFiles(dir, "dev");
                try {
                    parseStackConfig(files.config, "dev");
                } catch (err) {
                    assertNamesKeys(err);
                }
            } catch (err) {
                assert.ok(err instanceof StackFileError, String((err as Error).stack ?? err));
                assert.match(err.message, /Pulumi\.dev\.yaml/);
            }
            assert.ok(Date.now() - started < 2000);
        });
    }
});
