import * as assert from "assert";
import * as fc from "fast-check";
import { MongoPlanInput, placeInstances, planMongo } from "./mongoPlan";
import { mongoProblems } from "./fixtures.test";

const AWS: MongoPlanInput = {
    cloud: "aws", zones: ["us-east-1a", "us-east-1b", "us-east-1c"], subnetCount: 3, allowedClientCidrs: ["10.0.0.0/20"],
};
const RESTORABLE = "/subscriptions/00000000-0000-4000-8000-000000000001/providers/Microsoft.DocumentDB/locations/westeurope/restorableDatabaseAccounts/11111111-2222-4333-8444-555555555555";
const AZURE: MongoPlanInput = { cloud: "azure", location: "westeurope", zones: ["1", "2", "3"], subnetCount: 1, allowedClientCidrs: ["10.0.0.0/20"] };

/** The problems planMongo reports for an input, one line each. */
const problemsOf = (name: string, input: MongoPlanInput): string[] => mongoProblems(input, name);

describe("planMongo", () => {
    it("keeps only the first DocumentDB instance when hibernated, and refuses hibernated on Azure", () => {
        assert.deepStrictEqual(planMongo("users", { ...AWS, hibernated: true }).instances.map((i) => i.name), ["users-db-a1"]);
        assert.strictEqual(planMongo("users", { ...AWS, hibernated: false }).instances.length, 3);
        assert.deepStrictEqual(problemsOf("users", { ...AZURE, hibernated: true }).filter((p) => p.includes("hibernated")).length, 1);
    });

    it("places one instance per zone by default, with the safe protection defaults", () => {
        const plan = planMongo("users", AWS);
        assert.deepStrictEqual(plan.instances.map((i) => `${i.name}@${i.zone}`), ["users-db-a1@us-east-1a", "users-db-b1@us-east-1b", "users-db-c1@us-east-1c"]);
        assert.deepStrictEqual([plan.backupRetentionDays, plan.deletionProtection, plan.finalSnapshotName], [7, true, "users-final"]);
        assert.deepStrictEqual([plan.instanceClass, plan.version, plan.masterUsername], ["db.r6g.large", "5.0", "cookieadmin"]);
    });

    it("plans DocumentDB's engine version and parameter group family from the API version", () => {
        const plan = planMongo("users", { ...AWS, version: "4.0" });
        assert.deepStrictEqual([plan.engineVersion, plan.parameterGroupFamily], ["4.0.0", "docdb4.0"]);
    });

    it("keeps a deleted Cosmos DB account restorable for the window of the backup tier the retention needs", () => {
        assert.deepStrictEqual([planMongo("users", AZURE).restorableForDays, planMongo("users", { ...AZURE, backupRetentionDays: 8 }).restorableForDays], [7, 30]);
    });

    it("admits clients of peered networks by range: private ones outside its own network only", () => {
        const input = { ...AWS, networkCidrBlock: "10.0.0.0/16" };
        assert.deepStrictEqual(planMongo("users", { ...input, peerClientCidrs: ["10.1.0.0/20"] }).peerClientCidrs, ["10.1.0.0/20"]);
        assert.deepStrictEqual(planMongo("users", input).peerClientCidrs, []);
        assert.deepStrictEqual(problemsOf("users", { ...input, peerClientCidrs: ["0.0.0.0/0", "10.0.16.0/20", "10.1.0.0/33"] }), [
            "peerClientCidrs[0]: \"0.0.0.0/0\" is not private address space: a data store is never reachable from the internet",
            "peerClientCidrs[1]: \"10.0.16.0/20\" lies in the store's own network 10.0.0.0/16: give clients of this network as allowedClientCidrs; peerClientCidrs are other networks' ranges",
            "peerClientCidrs[2]: \"10.1.0.0/33\" has a prefix length above 32",
        ]);
    });

    it("carries the user's tags to the cloud implementation", () => {
        assert.deepStrictEqual(planMongo("users", { ...AWS, tags: { team: "cookies" } }).tags, { team: "cookies" });
    });

    it("takes no final snapshot when finalSnapshot is false, and names it with the suffix otherwise", () => {
        assert.strictEqual(planMongo("users", { ...AWS, finalSnapshot: false }).finalSnapshotName, undefined);
        assert.strictEqual(planMongo("users", { ...AWS, finalSnapshotSuffix: "20261123t0900" }).finalSnapshotName, "users-20261123t0900");
    });

    it("keeps the names of existing instances when instances are added", () => {
        fc.assert(fc.property(fc.integer({ min: 3, max: 15 }), (count) => {
            const before = placeInstances("users", AWS.zones, count);
            const after = placeInstances("users", AWS.zones, count + 1);
            assert.deepStrictEqual(after.slice(0, count), before);
        }));
    });

    it("never puts two more instances in one zone than in another", () => {
        fc.assert(fc.property(fc.integer({ min: 3, max: 16 }), (count) => {
            const perZone = AWS.zones.map((z) => placeInstances("users", AWS.zones, count).filter((i) => i.zone === z).length);
            assert.ok(Math.max(...perZone) - Math.min(...perZone) <= 1);
        }));
    });

    it("picks the 7-day continuous backup tier up to 7 days of retention and the 30-day tier above", () => {
        assert.strictEqual(planMongo("users", { ...AZURE, backupRetentionDays: 7 }).continuousTier, "Continuous7Days");
        assert.strictEqual(planMongo("users", { ...AZURE, backupRetentionDays: 8 }).continuousTier, "Continuous30Days");
        assert.deepStrictEqual(planMongo("users", AZURE).instances, []);
    });

    it("maps sizes to DocumentDB instance classes and Cosmos DB autoscale ceilings", () => {
        assert.strictEqual(planMongo("users", { ...AWS, size: "small" }).instanceClass, "db.t4g.medium");
        assert.strictEqual(planMongo("users", { ...AZURE, size: "large" }).maxThroughput, 10000);
    });

    it("accepts a snapshot identifier or ARN to restore on AWS and a restorable account with a time on Azure", () => {
        assert.deepStrictEqual(problemsOf("users", { ...AWS, restoreFromSnapshot: "users-20261123t0900" }), []);
        assert.deepStrictEqual(problemsOf("users", { ...AWS, restoreFromSnapshot: "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:users-final" }), []);
        assert.deepStrictEqual(problemsOf("users", { ...AZURE, restoreFromSnapshot: RESTORABLE, restoreTimestampUtc: "2026-11-23T09:00:00Z" }), []);
    });

    it("reports every problem at once", () => {
        const problems = problemsOf("Users_DB", { ...AWS, instanceCount: 0, backupRetentionDays: 0, masterUsername: "serviceadmin" });
        assert.strictEqual(problems.length, 4, problems.join("\n"));
    });
});

/** Each documented limit: the input that breaks it, and what the message must say. */
const RULES: readonly (readonly [string, string, MongoPlanInput, RegExp])[] = [
    ["an unknown cloud", "users", { ...AWS, cloud: "gcp" }, /^cloud: "gcp" is not a supported cloud/],
    ["a name with capitals or underscores", "Users_DB", AWS, /^name: "Users_DB" must be 1-30 lowercase letters, digits or single hyphens/],
    ["a name with two hyphens in a row", "users--db", AWS, /^name: "users--db" must be .* single hyphens/],
    ["a name too long for the account name", "a".repeat(31), AZURE, /^name: "a{31}" must be 1-30 .*Cosmos DB account name/],
    ["fewer than 3 zones", "users", { ...AWS, zones: ["us-east-1a", "us-east-1b"], instanceCount: 3, subnetCount: 2 }, /^network.zones: \["us-east-1a","us-east-1b"\] must name at least 3 zones/],
    ["repeated zones", "users", { ...AWS, zones: ["us-east-1a", "us-east-1a", "us-east-1b"] }, /^network.zones: .* must be distinct, non-empty zone names/],
    ["no clients at all", "users", { ...AWS, allowedClientCidrs: [] }, /^allowedClientCidrs: \[\] and allowedClientSecurityGroupIds are both empty/],
    ["a client range open to the internet", "users", { ...AWS, allowedClientCidrs: ["0.0.0.0/0"] }, /^allowedClientCidrs\[0\]: "0.0.0.0\/0" is not private address space/],
    ["a client range that is not a CIDR", "users", { ...AWS, allowedClientCidrs: ["10.0.0.0/33"] }, /^allowedClientCidrs\[0\]: "10.0.0.0\/33" /],
    ["an unknown size", "users", { ...AWS, size: "huge" }, /^size: "huge" is not allowed: use one of small, medium, large/],
    ["an unknown version", "users", { ...AWS, version: "3.6" }, /^version: "3.6" is not allowed: use one of 4.0, 5.0/],
    ["a database name with a dot", "users", { ...AWS, databaseName: "cookies.v2" }, /^databaseName: "cookies.v2" must be 1-63 letters/],
    ["more than 16 DocumentDB instances", "users", { ...AWS, instanceCount: 17 }, /^instanceCount: 17 must be an integer from 1 to 16/],
    ["fewer instances than zones", "users", { ...AWS, instanceCount: 2 }, /^instanceCount: 2 must be at least the 3 zones/],
    ["fewer data subnets than zones on AWS", "users", { ...AWS, subnetCount: 2 }, /^subnets: "2 subnets" must hold one data subnet per zone \(3\)/],
    ["no data subnet on Azure", "users", { ...AZURE, subnetCount: 0 }, /^subnets: "0 subnets" must hold the regional data subnet/],
    ["DocumentDB retention of 0 days", "users", { ...AWS, backupRetentionDays: 0 }, /^backupRetentionDays: 0 must be an integer from 1 to 35/],
    ["DocumentDB retention of 36 days", "users", { ...AWS, backupRetentionDays: 36 }, /^backupRetentionDays: 36 must be an integer from 1 to 35/],
    ["Cosmos DB retention beyond the 30-day tier", "users", { ...AZURE, backupRetentionDays: 31 }, /^backupRetentionDays: 31 must be an integer from 1 to 30/],
    ["a master username starting with a digit", "users", { ...AWS, masterUsername: "1admin" }, /^masterUsername: "1admin" must be 1-63 letters or digits, starting with a letter/],
    ["a master username with a hyphen", "users", { ...AWS, masterUsername: "cookie-admin" }, /^masterUsername: "cookie-admin" must be 1-63 letters or digits/],
    ["a master username of 64 characters", "users", { ...AWS, masterUsername: "a".repeat(64) }, /^masterUsername: "a{64}" must be 1-63/],
    ["the reserved serviceadmin user", "users", { ...AWS, masterUsername: "ServiceAdmin" }, /^masterUsername: "ServiceAdmin" is reserved by DocumentDB/],
    ["a suffix ending the snapshot name with a hyphen", "users", { ...AWS, finalSnapshotSuffix: "nightly-" }, /^finalSnapshotSuffix: "nightly-" gives the final snapshot identifier "users-nightly-", which must be 1-255/],
    ["a suffix with two hyphens", "users", { ...AWS, finalSnapshotSuffix: "a--b" }, /^finalSnapshotSuffix: "a--b" gives the final snapshot identifier "users-a--b"/],
    ["a suffix making the snapshot name longer than 255", "users", { ...AWS, finalSnapshotSuffix: "x".repeat(250) }, /^finalSnapshotSuffix: "x{250}" gives .* 1-255/],
    ["a snapshot to restore with an underscore", "users", { ...AWS, restoreFromSnapshot: "users_final" }, /^restoreFromSnapshot: "users_final" must be a DocumentDB cluster snapshot identifier or cluster-snapshot ARN/],
    ["a restore time on AWS", "users", { ...AWS, restoreTimestampUtc: "2026-11-23T09:00:00Z" }, /^restoreTimestampUtc: "2026-11-23T09:00:00Z" is only for Azure/],
    ["no location on Azure, the network's facts carrying none", "users", { ...AZURE, location: undefined }, /^azure.location: undefined is required on azure when the network's facts carry no location/],
    ["a location other than the network's", "users", { ...AZURE, location: "northeurope", networkLocation: "westeurope" },
        /^azure.location: "northeurope" is not the network's location \(westeurope\): the account belongs in its network's region; leave azure.location out/],
    ["a location other than the network's, under the deprecated key", "users", { ...AZURE, location: "northeurope", networkLocation: "westeurope", locationKey: "location" },
        /^location: "northeurope" is not the network's location \(westeurope\)/],
    ["a location that is not an ARM name", "users", { ...AZURE, location: "West Europe" }, /^azure.location: "West Europe" must be an ARM location name, e.g. westeurope/],
    ["a restore source on Azure that is not a restorable account", "users", { ...AZURE, restoreFromSnapshot: "users-final", restoreTimestampUtc: "2026-11-23T09:00:00Z" }, /^restoreFromSnapshot: "users-final" must be a restorable Cosmos DB account id/],
    ["a restore on Azure without a time", "users", { ...AZURE, restoreFromSnapshot: RESTORABLE }, /^restoreTimestampUtc: undefined is required with restoreFromSnapshot on Azure/],
    ["a restore time on Azure without a source", "users", { ...AZURE, restoreTimestampUtc: "2026-11-23T09:00:00Z" }, /^restoreTimestampUtc: "2026-11-23T09:00:00Z" needs restoreFromSnapshot/],
    ["a restore time that is not UTC ISO-8601", "users", { ...AZURE, restoreFromSnapshot: RESTORABLE, restoreTimestampUtc: "23/11/2026 09:00" }, /^restoreTimestampUtc: "23\/11\/2026 09:00" must be an ISO-8601 UTC time/],
];

describe("planMongo rejects", () => {
    for (const [what, name, input, message] of RULES) {
        it(`${what}, naming the arg, the value and the rule`, () => {
            const problems = problemsOf(name, input);
            assert.ok(problems.some((p) => message.test(p)), `expected ${message} in:\n${problems.join("\n")}`);
        });
    }
});
