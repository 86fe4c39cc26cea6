import * as assert from "assert";
import * as fc from "fast-check";
import { Cloud } from "../../components/common/cloud";
import { Problems } from "../../components/common/validation";
import { isPrivate, mustParseCidr, overlaps } from "../../components/network/cidr";
import { parseStackConfig } from "./index";
import { REGION_NAME_KEY, STAMP_REGIONS, planStamps, stampConfig } from "./stamps";
import { configProblems } from "./testing";

/** A prod AWS stack in eu-west-1, as Pulumi.prod.yaml starts. */
const PROD = { "intergalactic:cloud": "aws", "intergalactic:environment": "prod", "aws:region": "eu-west-1", "intergalactic:network": JSON.stringify({ cidrBlock: "10.20.0.0/16" }) };
const regions = (list: unknown) => ({ ...PROD, "intergalactic:regions": JSON.stringify(list) });

describe("intergalactic:regions", () => {
    it("plans one stamp per region: the stack's own first with today's names, the next in the next network block, named after its region", () => {
        const config = parseStackConfig(regions(["eu-west-1", "us-east-1"]));
        assert.deepStrictEqual(config.stamps, [
            { region: "eu-west-1", primary: true, key: "", cidrBlock: "10.20.0.0/16" },
            { region: "us-east-1", primary: false, key: "use1", cidrBlock: "10.21.0.0/16" },
        ]);
    });

    it("is the stack's own region alone when absent, as every stack was before regions", () => {
        assert.deepStrictEqual(parseStackConfig(PROD).stamps, [{ region: "eu-west-1", primary: true, key: "", cidrBlock: "10.20.0.0/16" }]);
    });

    it("refuses a region twice, naming the key, the value and the rule", () => {
        assert.match(configProblems(regions(["eu-west-1", "us-east-1", "us-east-1"])),
            /intergalactic:regions\[2\]: "us-east-1" repeats intergalactic:regions\[1\]: a region holds one stamp/);
    });

    it("refuses a region the cloud does not have", () => {
        assert.match(configProblems(regions(["eu-west-1", "westeurope"])), /intergalactic:regions\[1\]: "westeurope" is not a region a stamp can use on aws: use one of af-south-1, /);
        const azure = { "intergalactic:cloud": "azure", "intergalactic:environment": "prod", "azure-native:location": "northeurope", "intergalactic:regions": JSON.stringify(["northeurope", "brazilsoutheast"]) };
        assert.match(configProblems(azure), /intergalactic:regions\[1\]: "brazilsoutheast" is not a region a stamp can use on azure/);
    });

    it("refuses a first region other than the stack's own: its stamp keeps what is deployed", () => {
        assert.match(configProblems(regions(["us-east-1", "eu-west-1"])),
            /intergalactic:regions\[0\]: "us-east-1" must be the stack's own region "eu-west-1" \(aws:region\): its stamp keeps the names and provider of what is deployed/);
    });

    it("refuses more regions than the private range of the network leaves blocks for", () => {
        const high = { ...regions(["eu-west-1", "us-east-1"]), "intergalactic:network": JSON.stringify({ cidrBlock: "192.168.0.0/16" }) };
        assert.match(configProblems(high),
            /intergalactic:regions: \["eu-west-1","us-east-1"\] has 2 regions, but intergalactic:network.cidrBlock 192.168.0.0\/16 leaves room for 1 within 192.168.0.0\/16/);
    });

    it("refuses a second region in a dev stack: dev stays in one region", () => {
        const dev = { ...regions(["eu-west-1", "us-east-1"]), "intergalactic:environment": "dev" };
        assert.match(configProblems(dev), /intergalactic:regions: \["eu-west-1","us-east-1"\] must name one region in a dev stack/);
    });

    it("refuses provider keys that only the first region's default provider would read", () => {
        const tagged = { ...regions(["eu-west-1", "us-east-1"]), "aws:defaultTags": JSON.stringify({ tags: { team: "cookies" } }) };
        assert.match(configProblems(tagged), /aws:defaultTags: .* configures only the first region's default provider; the stamps in us-east-1 use explicit providers that do not read it/);
        assert.doesNotThrow(() => parseStackConfig({ ...PROD, "aws:defaultTags": JSON.stringify({ tags: { team: "cookies" } }) }));
    });

    it("names every region of both clouds with its own key", () => {
        for (const cloud of [Cloud.Aws, Cloud.Azure]) {
            const keys = STAMP_REGIONS[cloud].map(REGION_NAME_KEY[cloud]);
            assert.strictEqual(new Set(keys).size, keys.length, keys.join(" "));
            for (const key of keys) assert.match(key, /^[a-z0-9]+$/);
        }
        assert.deepStrictEqual(["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"].map(REGION_NAME_KEY[Cloud.Aws]), ["use1", "euw1", "apse2", "usgovw1"]);
    });

    it("gives every region a private network block disjoint from the others, and keeps each stamp as it is when a region is appended", () => {
        const region = fc.constantFrom(...STAMP_REGIONS[Cloud.Aws].filter((r) => r !== "eu-west-1"));
        fc.assert(fc.property(fc.uniqueArray(region, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 200 }), (more, second) => {
            const input = (list: string[]) => ({ cloud: Cloud.Aws, environment: "prod", region: "eu-west-1", regions: ["eu-west-1", ...list], cidrBlock: `10.${second}.0.0/16` });
            const problems = new Problems("test");
            const stamps = planStamps(input(more), problems);
            const fits = second + more.length <= 255;
            assert.strictEqual(problems.count === 0, fits);
            if (!fits) return;
            const blocks = stamps.map((s) => mustParseCidr(s.cidrBlock));
            blocks.forEach((a, i) => {
                assert.ok(isPrivate(a));
                blocks.slice(i + 1).forEach((b) => assert.ok(!overlaps(a, b), `${stamps[i].cidrBlock} overlaps`));
            });
            const fewer = planStamps(input(more.slice(0, -1)), new Problems("test"));
            assert.deepStrictEqual(stamps.slice(0, fewer.length), fewer);
        }), { numRuns: 200 });
    });

    it("gives another region's stamp its own names, region and network, its services, and on AWS a copy of the user database", () => {
        const config = parseStackConfig(regions(["eu-west-1", "us-east-1"]));
        const other = stampConfig(config, config.stamps[1]);
        assert.deepStrictEqual([other.region, other.network.cidrBlock, other.cluster.name, other.redis.name, other.kafka.name],
            ["us-east-1", "10.21.0.0/16", `${config.cluster.name}-use1`, `${config.redis.name}-use1`, `${config.kafka.name}-use1`]);
        assert.deepStrictEqual([other.mongo.enabled, other.mongo.name, other.mongo.finalSnapshot, other.services.enabled, other.services.name],
            [true, `${config.mongo.name}-use1`, config.mongo.finalSnapshot, config.services.enabled, `${config.services.name}-use1`]);
        assert.strictEqual(stampConfig(config, config.stamps[0]), config);
    });
});
