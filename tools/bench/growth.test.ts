import * as assert from "assert";
import * as fc from "fast-check";
import { GrowthPoint, growthVerdict } from "./growth";
import { serviceName, syntheticConfig, syntheticDigest, syntheticServices } from "./synthetic";

const point = (services: number, cpuMs: number, resources = 100 + 6 * services): GrowthPoint => ({ services, resources, cpuMs, wallMs: cpuMs, peakMiB: 300 });

describe("the plan growth verdict", () => {
    for (const [label, series, linear] of [
        ["a straight line with a fixed start-up cost", [point(5, 3000 + 50 * 5), point(60, 3000 + 50 * 60), point(240, 3000 + 50 * 240)], true],
        ["a line with measurement noise", [point(5, 3300), point(60, 5800), point(240, 16500)], true],
        ["quadratic growth", [point(5, 3000 + 5 * 5), point(60, 3000 + 60 * 60), point(240, 3000 + 240 * 240)], false],
        ["resources that grow faster than the services", [point(5, 1000, 130), point(60, 2000, 460), point(240, 5000, 3000)], false],
    ] as const) {
        it(`calls ${label} ${linear ? "linear" : "not linear"}`, () => {
            assert.strictEqual(growthVerdict(series).linear, linear, growthVerdict(series).text);
        });
    }

    it("reports the marginal cost per added service of each segment", () => {
        const verdict = growthVerdict([point(60, 6000), point(5, 500), point(240, 24000)]);
        assert.deepStrictEqual(verdict.msPerService, [100, 100]);
        assert.deepStrictEqual(verdict.resourcesPerService, [6, 6]);
        assert.match(verdict.text, /^linear: 100 ms then 100 ms of plan CPU/);
    });

    it("needs two distinct points", () => {
        assert.throws(() => growthVerdict([point(5, 1)]), /at least two points/);
        assert.throws(() => growthVerdict([point(5, 1), point(5, 2)]), /distinct service counts/);
    });

    it("calls every affine series linear", () => {
        fc.assert(fc.property(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 1, max: 500 }), (fixed, perService) =>
            growthVerdict([5, 60, 240].map((n) => point(n, fixed + perService * n))).linear));
    });
});

describe("the synthetic services", () => {
    it("has the requested count and public entries, every name a valid service name", () => {
        const list = syntheticServices({ services: 60, publicEntries: 35 }, "cookie-mixed");
        assert.strictEqual(list.length, 60);
        assert.strictEqual(list.filter((s) => s.public).length, 35);
        assert.strictEqual(new Set(list.map((s) => s.name)).size, 60);
        list.forEach((s) => assert.match(s.name, /^[a-z]([-a-z0-9]*[a-z0-9])?$/));
        assert.strictEqual(serviceName(0), "svc-001");
    });

    it("calls each service only from the one before it, and keeps queue users on the declared topic", () => {
        const list = syntheticServices({ services: 6, publicEntries: 1 }, "cookie-mixed");
        assert.deepStrictEqual(list.map((s) => s.callers), [[], ["svc-001"], ["svc-002"], ["svc-003"], ["svc-004"], ["svc-005"]]);
        for (const s of list.filter((x) => x.dataStores?.includes("kafka"))) assert.deepStrictEqual([s.consumes, s.produces], [["cookie-mixed"], ["cookie-mixed"]]);
    });

    for (const [shape, message] of [[{ services: 0, publicEntries: 1 }, /services: 0 must be an integer >= 1/], [{ services: 5, publicEntries: 6 }, /publicEntries: 6 must be an integer from 1 to services \(5\)/]] as const) {
        it(`refuses ${JSON.stringify(shape)}`, () => assert.throws(() => syntheticServices(shape, "t"), message));
    }

    it("replaces only the service list, entry services and image digests of the stack's services section", () => {
        const base = {
            "intergalactic:services": JSON.stringify({ host: "cookies.example.com", imageTag: "1.0.0", imageDigests: { mix: syntheticDigest(0) } }),
            "intergalactic:kafka": JSON.stringify({ topics: [{ name: "cookie-mixed" }] }),
            "aws:region": "eu-west-1",
        };
        const config = syntheticConfig(base, { services: 3, publicEntries: 2 });
        const services = JSON.parse(config["intergalactic:services"]);
        assert.strictEqual(config["aws:region"], "eu-west-1");
        assert.deepStrictEqual([services.host, services.imageTag, services.enabled, services.entryServices], ["cookies.example.com", "1.0.0", true, ["svc-001", "svc-002"]]);
        assert.deepStrictEqual(services.imageDigests, { "svc-001": syntheticDigest(0), "svc-002": syntheticDigest(1), "svc-003": syntheticDigest(2) });
        assert.throws(() => syntheticConfig({}, { services: 3, publicEntries: 1 }), /declares no Kafka topic/);
    });
});
