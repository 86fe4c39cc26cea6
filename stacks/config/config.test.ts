import * as assert from "assert";
import { parseStackConfig } from "./index";
import { BASE_CONFIG, configProblems } from "./testing";

const base = BASE_CONFIG;

describe("parseStackConfig", () => {
    it("fills every section with defaults from the three required keys", () => {
        const config = parseStackConfig(base);
        assert.strictEqual(config.cloud, "aws");
        assert.strictEqual(config.region, "us-east-1");
        assert.deepStrictEqual(config.network, {
            cidrBlock: "10.0.0.0/16", zoneCount: 3, natStrategy: "OnePerAz", avoidCidrs: [], flowLogRetentionDays: 30,
        });
        assert.strictEqual(config.snapshots.finalSnapshotSuffix, "final");
    });

    it("reads structured sections passed as JSON, as the Pulumi CLI passes them", () => {
        const config = parseStackConfig({
            ...base,
            "intergalactic:network": JSON.stringify({ cidrBlock: "10.9.0.0/16", natStrategy: "Single" }),
            "intergalactic:tags": JSON.stringify({ team: "cookies" }),
        });
        assert.deepStrictEqual([config.network.cidrBlock, config.network.natStrategy, config.tags], ["10.9.0.0/16", "Single", { team: "cookies" }]);
    });

    it("reads an azure stack's location", () => {
        const config = parseStackConfig({ "intergalactic:cloud": "azure", "intergalactic:environment": "prod", "azure-native:location": "northeurope" });
        assert.deepStrictEqual([config.cloud, config.region], ["azure", "northeurope"]);
    });

    const cases: [string, Record<string, string>, RegExp][] = [
        ["a missing cloud", { "intergalactic:environment": "dev", "aws:region": "us-east-1" }, /intergalactic:cloud: missing: set it to one of aws, azure/],
        ["an unknown cloud", { ...base, "intergalactic:cloud": "gcp" }, /intergalactic:cloud: "gcp" is not allowed: use one of aws, azure/],
        ["a missing environment", { "intergalactic:cloud": "aws", "aws:region": "us-east-1" }, /intergalactic:environment: missing: set it to one of dev, prod/],
        ["an unknown environment", { ...base, "intergalactic:environment": "staging" }, /intergalactic:environment: "staging" is not allowed: use one of dev, prod/],
        ["a missing AWS region", { "intergalactic:cloud": "aws", "intergalactic:environment": "dev" }, /aws:region: missing/],
        ["a malformed AWS region", { ...base, "aws:region": "virginia" }, /aws:region: "virginia" is not an AWS region name/],
        ["an Azure region without zones", { "intergalactic:cloud": "azure", "intergalactic:environment": "dev", "azure-native:location": "westus" },
            /azure-native:location: "westus" is not an Azure region with availability zones/],
        ["an unknown top-level key", { ...base, "intergalactic:netwrok": "{}" }, /intergalactic:netwrok: unknown key: allowed keys are .*intergalactic:network/],
        ["an unknown nested key", { ...base, "intergalactic:network": JSON.stringify({ zones: 3 }) }, /intergalactic:network.zones: unknown key: allowed keys are .*zoneCount/],
        ["a wrongly typed value", { ...base, "intergalactic:network": JSON.stringify({ zoneCount: "three" }) }, /intergalactic:network.zoneCount: "three" must be a number/],
        ["an unknown NAT strategy", { ...base, "intergalactic:network": JSON.stringify({ natStrategy: "Many" }) }, /intergalactic:network.natStrategy: "Many" is not allowed: use one of OnePerAz, Single, None/],
        ["a section that is not an object", { ...base, "intergalactic:network": "10.0.0.0/16" }, /intergalactic:network: "10.0.0.0\/16" must be an object/],
        ["a bad snapshot suffix", { ...base, "intergalactic:snapshots": JSON.stringify({ finalSnapshotSuffix: "Final Snapshot" }) },
            /intergalactic:snapshots.finalSnapshotSuffix: "Final Snapshot" must be 1-40 lowercase letters/],
        ["a dropDataOnTeardown name that is no data store", { ...base, "intergalactic:snapshots": JSON.stringify({ dropDataOnTeardown: ["cahce"] }) },
            /intergalactic:snapshots.dropDataOnTeardown: "cahce" names no data store here; the stores are .*"cache" \(intergalactic:redis.name\)/],
    ];
    for (const [what, raw, expected] of cases) {
        it(`rejects ${what}, naming the key, the value and what is allowed`, () => assert.match(configProblems(raw), expected));
    }
});
