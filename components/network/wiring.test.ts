import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { Cloud } from "../common/cloud";
import { Problems } from "../common/validation";
import { contains, formatCidr, mustParseCidr } from "./cidr";
import { NetworkFacts, SubnetTier, factsOfPlan, selectSubnets, zonesOf } from "./facts";
import { planNetwork } from "./networkPlan";
import { checkClientTier, checkInsideNetwork, checkNetworkFacts, chooseSubnets, placementZones, tierRanges } from "./wiring";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const awsNetwork = (zones = ZONES, cidrBlock = "10.0.0.0/16", ids = "id"): NetworkFacts =>
    factsOfPlan(planNetwork("net", { cloud: "aws", cidrBlock, availabilityZones: zones, zoneCount: zones.length }), { networkId: `vpc-${ids}`, subnetId: (n) => `${ids}-${n}` });
const azureNetwork = (): NetworkFacts =>
    factsOfPlan(planNetwork("net", { cloud: "azure" }), { networkId: "vnet-1", subnetId: (n) => `id-${n}` });

/** Runs one check and returns the problems it found. */
function problemsOf(check: (problems: Problems) => void): readonly string[] {
    const problems = new Problems("test");
    check(problems);
    return problems.all;
}

describe("network facts", () => {
    it("give each subnet of a planned network its tier, zone, range and id", () => {
        const facts = awsNetwork();
        assert.deepStrictEqual(selectSubnets(facts, { tier: SubnetTier.App }).map((s) => [s.zone, s.cidr, s.id]), [
            ["us-east-1a", "10.0.0.0/20", "id-net-app-a"], ["us-east-1b", "10.0.32.0/20", "id-net-app-b"], ["us-east-1c", "10.0.64.0/20", "id-net-app-c"],
        ]);
        assert.deepStrictEqual(tierRanges(facts, SubnetTier.Data), ["10.0.20.0/22", "10.0.52.0/22", "10.0.84.0/22"]);
        assert.deepStrictEqual(facts.zones, ZONES);
        assert.strictEqual(facts.cidrBlock, "10.0.0.0/16");
    });

    it("mark Azure's regional subnets with an empty zone and keep the zonal app subnets", () => {
        const facts = azureNetwork();
        assert.deepStrictEqual(selectSubnets(facts, { tier: SubnetTier.Data }).map((s) => s.zone), [""]);
        assert.deepStrictEqual(selectSubnets(facts, { tier: SubnetTier.Bastion }).length, 1);
        assert.deepStrictEqual(selectSubnets(facts, { tier: SubnetTier.App }).map((s) => s.zone), ["1", "2", "3"]);
    });

    it("select the subnets of some zones only, in the network's order", () => {
        const facts = awsNetwork();
        const picked = selectSubnets(facts, { tier: SubnetTier.Data, zones: ["us-east-1c", "us-east-1a"] });
        assert.deepStrictEqual(picked.map((s) => s.zone), ["us-east-1a", "us-east-1c"]);
        assert.deepStrictEqual(zonesOf(facts, picked), ["us-east-1a", "us-east-1c"]);
    });
});

describe("checking a component's network wiring", () => {
    const table: [string, (p: Problems) => void, RegExp][] = [
        ["a missing network", (p) => checkNetworkFacts(p, "network", Cloud.Aws, undefined), /^network: undefined is required: pass the network's facts/],
        ["a network of the other cloud", (p) => checkNetworkFacts(p, "network", Cloud.Aws, azureNetwork()), /^network.cloud: "azure" is not this component's cloud \(aws\)/],
        ["a subnet outside the network's range", (p) => {
            const facts = awsNetwork();
            checkNetworkFacts(p, "network", Cloud.Aws, { ...facts, subnets: [...facts.subnets, { id: "x", tier: SubnetTier.App, zone: "us-east-1a", cidr: "10.1.0.0/24" }] });
        }, /^network.subnets\[9\].cidr: "10.1.0.0\/24" is outside the network's 10.0.0.0\/16/],
        ["a subnet in a zone the network does not span", (p) => {
            const facts = awsNetwork();
            checkNetworkFacts(p, "network", Cloud.Aws, { ...facts, subnets: [{ id: "x", tier: SubnetTier.Data, zone: "us-east-1f", cidr: "10.0.200.0/24" }] });
        }, /^network.subnets\[0\].zone: "us-east-1f" is not one of the network's zones/],
        ["a subnet of another network", (p) => chooseSubnets(p, "subnets", awsNetwork(), selectSubnets(awsNetwork(ZONES, "10.1.0.0/16", "other"), { tier: SubnetTier.Data }), [SubnetTier.Data], "a data store"),
            /^subnets\[0\]: \{"tier":"data","zone":"us-east-1a","cidr":"10.1.20.0\/22"\} is not a subnet of the network 10.0.0.0\/16 \(subnets are matched by id\)/],
        ["a subnet of another network with the same layout (same tier, zone and range, another id)",
            (p) => chooseSubnets(p, "subnets", awsNetwork(), selectSubnets(awsNetwork(ZONES, "10.0.0.0/16", "other"), { tier: SubnetTier.Data }), [SubnetTier.Data], "a data store"),
            /^subnets\[0\]: \{"tier":"data","zone":"us-east-1a","cidr":"10.0.20.0\/22"\} is not a subnet of the network 10.0.0.0\/16 \(subnets are matched by id\)/],
        ["a subnet with the network's id but other facts", (p) => chooseSubnets(p, "subnets", awsNetwork(),
            selectSubnets(awsNetwork(), { tier: SubnetTier.Data }).map((s, i) => (i === 0 ? { ...s, zone: "us-east-1b" } : s)), [SubnetTier.Data], "a data store"),
            /^subnets\[0\]: \{"tier":"data","zone":"us-east-1b","cidr":"10.0.20.0\/22"\} has the id of the network's subnet \{"tier":"data","zone":"us-east-1a","cidr":"10.0.20.0\/22"\} but not its facts/],
        ["network facts with overlapping subnets", (p) => checkNetworkFacts(p, "network", Cloud.Aws,
            { ...awsNetwork(), subnets: [...awsNetwork().subnets, { id: "extra", tier: SubnetTier.App, zone: "us-east-1a", cidr: "10.0.8.0/24" }] }),
            /^network\.subnets\[9\]\.cidr: "10.0.8.0\/24" overlaps network\.subnets\[\d\] \(10.0.0.0\/20\): a network's subnets never overlap/],
        ["subnets of the wrong tier", (p) => chooseSubnets(p, "subnets", awsNetwork(), selectSubnets(awsNetwork(), { tier: SubnetTier.Public }), [SubnetTier.Data], "a data store"),
            /^subnets\[0\]: \{"tier":"public",.*\} is in the public tier: a data store belongs in the data tier/],
        ["a subnet given twice", (p) => {
            const [a] = selectSubnets(awsNetwork(), { tier: SubnetTier.Data });
            chooseSubnets(p, "subnets", awsNetwork(), [a, a], [SubnetTier.Data], "a data store");
        }, /^subnets\[1\]: .* is given twice/],
        ["a placement in fewer zones than the rule needs", (p) => placementZones(p, "subnets", awsNetwork(), selectSubnets(awsNetwork(), { tier: SubnetTier.Data, zones: ["us-east-1a"] }), 3, "why"),
            /^subnets: 1 subnet\(s\) in zones \["us-east-1a"\] must span at least 3 zones: why/],
        ["a regional placement in a two-zone network", (p) => placementZones(p, "subnets", { ...azureNetwork(), zones: ["1", "2"] }, selectSubnets(azureNetwork(), { tier: SubnetTier.Data }), 3, "why"),
            /^network.zones: \["1","2"\] must hold at least 3 zones: why/],
        ["a client range that is no CIDR", (p) => checkInsideNetwork(p, "allowedClientCidrs", ["10.0.0.0"], mustParseCidr("10.0.0.0/16"), "10.0.0.0/16", "why"),
            /^allowedClientCidrs\[0\]: "10.0.0.0" is not an IPv4 CIDR/],
        ["a client range overlapping the network's edge", (p) => checkInsideNetwork(p, "allowedClientCidrs", ["10.0.0.0/15"], mustParseCidr("10.0.0.0/16"), "10.0.0.0/16", "why"),
            /^allowedClientCidrs\[0\]: "10.0.0.0\/15" is outside the network 10.0.0.0\/16: why/],
    ];
    for (const [what, check, pattern] of table) {
        it(`refuses ${what}, naming the arg, the value and the rule`, () => {
            const found = problemsOf(check);
            assert.ok(found.length >= 1, "no problem found");
            assert.match(found[0], pattern);
        });
    }

    describe("subnets whose ids are Outputs (known only once the subnets exist)", () => {
        const outputNetwork = (ids: string): NetworkFacts => factsOfPlan(planNetwork("net", { cloud: "aws", availabilityZones: ZONES }),
            { networkId: pulumi.output(`vpc-${ids}`), subnetId: (n) => pulumi.output(`${ids}-${n}`) });
        const idOf = async (id: pulumi.Input<string>): Promise<string> => {
            try {
                return await (pulumi.output(id) as unknown as { promise(): Promise<string> }).promise();
            } catch (err) {
                return `error: ${(err as Error).message}`;
            }
        };

        it("accepts the very Outputs the network's facts hold, unchanged", () => {
            const facts = outputNetwork("net");
            const data = selectSubnets(facts, { tier: SubnetTier.Data });
            const problems = new Problems("t");
            const chosen = chooseSubnets(problems, "subnets", facts, data, [SubnetTier.Data], "a data store");
            assert.deepStrictEqual(problems.all, []);
            assert.ok(chosen.every((s, i) => s.id === data[i].id));
        });

        it("checks another Output of the same facts once the ids are known: a same-layout network's subnet fails, its own passes", async () => {
            const facts = outputNetwork("net");
            const problems = new Problems("t");
            const other = selectSubnets(outputNetwork("other"), { tier: SubnetTier.Data });
            // A program in another language passes each occurrence of an id as its own Output, with the same value.
            const copied = selectSubnets(facts, { tier: SubnetTier.Data }).map((s) => ({ ...s, id: pulumi.output(s.id).apply((v) => v) }));
            const chosen = chooseSubnets(problems, "subnets", facts, other, [SubnetTier.Data], "a data store");
            const copies = chooseSubnets(problems, "subnets", facts, copied, [SubnetTier.Data], "a data store");
            assert.deepStrictEqual(problems.all, []);
            assert.match(await idOf(chosen[0].id), /^error: subnets\[0\]: \{"tier":"data","zone":"us-east-1a","cidr":"10.0.20.0\/22"\} has id other-net-data-a, not the id net-net-data-a of the network's subnet with these facts/);
            assert.deepStrictEqual(await Promise.all(copies.map((s) => idOf(s.id))), ["net-net-data-a", "net-net-data-b", "net-net-data-c"]);
        });
    });

    it("accepts a Vpc3Az's own facts and the subnets it selects", () => {
        for (const [cloud, facts] of [[Cloud.Aws, awsNetwork()], [Cloud.Azure, azureNetwork()]] as const) {
            assert.deepStrictEqual(problemsOf((p) => {
                const space = checkNetworkFacts(p, "network", cloud, facts);
                chooseSubnets(p, "subnets", facts, selectSubnets(facts, { tier: SubnetTier.Data }), [SubnetTier.Data], "a data store");
                placementZones(p, "subnets", facts, selectSubnets(facts, { tier: SubnetTier.Data }), 3, "why");
                checkInsideNetwork(p, "allowedClientCidrs", tierRanges(facts, SubnetTier.App), space, facts.cidrBlock, "why");
            }), []);
        }
    });

    it("defaults to the network's subnets of the tier, the first zones' when the service takes fewer", () => {
        const four = awsNetwork([...ZONES, "us-east-1d"]);
        assert.deepStrictEqual(chooseSubnets(new Problems("t"), "subnets", four, undefined, [SubnetTier.Data], "x", 3).map((s) => s.zone), ZONES);
    });

    it("refuses any client range outside the network and accepts any inside it", () => {
        const octet = fc.integer({ min: 0, max: 255 });
        const range = fc.tuple(octet, octet, octet, octet, fc.integer({ min: 8, max: 32 }))
            .map(([a, b, c, d, prefix]) => {
                const address = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
                const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
                return formatCidr({ base: (address & mask) >>> 0, prefix });
            });
        const network = fc.constantFrom("10.0.0.0/16", "10.20.0.0/16", "172.16.0.0/12", "192.168.0.0/20");
        fc.assert(fc.property(network, range, (cidrBlock, client) => {
            const space = mustParseCidr(cidrBlock);
            const found = problemsOf((p) => checkInsideNetwork(p, "allowedClientCidrs", [client], space, cidrBlock, "why"));
            const inside = contains(space, mustParseCidr(client));
            assert.strictEqual(found.length, inside ? 0 : 1, `${client} in ${cidrBlock}: ${found.join("; ")}`);
            if (!inside) assert.ok(found[0].startsWith(`allowedClientCidrs[0]: "${client}" is outside the network ${cidrBlock}`), found[0]);
        }), { numRuns: 500 });
    });

    describe("a client range wider than the client tier", () => {
        const facts = awsNetwork();
        const check = (cidrs: string[]) => problemsOf((p) => checkClientTier(p, "allowedClientCidrs", cidrs, facts, SubnetTier.App, "a data store admits only the workloads that use it"));

        it("refuses the whole network, naming the tiers it also admits", () => {
            assert.deepStrictEqual(check(["10.0.0.0/16"]), [
                "allowedClientCidrs[0]: \"10.0.0.0/16\" is wider than the app tier: a data store admits only the workloads that use it, so each range must lie inside one app subnet (10.0.0.0/20, 10.0.32.0/20, 10.0.64.0/20); it also covers the public and data tiers",
            ]);
        });

        it("refuses a range that reaches from an app subnet into the data tier next to it", () => {
            // 10.0.0.0/19 is app-a (10.0.0.0/20) plus the public and data subnets after it.
            assert.match(check(["10.0.0.0/19"])[0], /^allowedClientCidrs\[0\]: "10.0.0.0\/19" is wider than the app tier: .*; it also covers the (public and data|data and public) tiers$/);
        });

        it("refuses a range of the public or data tier, and one in unallocated space", () => {
            assert.match(check(["10.0.16.0/24"])[0], /it also covers the public tier$/);
            assert.match(check(["10.0.200.0/24"])[0], /it covers no app subnet whole$/);
        });

        it("accepts the app subnets' ranges and any range inside one of them, and leaves a range outside the network to the network check", () => {
            assert.deepStrictEqual(check([...tierRanges(facts, SubnetTier.App), "10.0.33.0/24", "10.0.64.128/25"]), []);
            assert.deepStrictEqual(check(["192.168.0.0/24"]), []);
        });

        it("holds for any range inside the network: refused exactly when it is not inside one app subnet", () => {
            const apps = tierRanges(facts, SubnetTier.App).map(mustParseCidr);
            fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 16, max: 32 }), (low, prefix) => {
                const mask = (0xffffffff << (32 - prefix)) >>> 0;
                const range = { base: ((0x0a000000 | low) & mask) >>> 0, prefix };
                const refused = check([formatCidr(range)]).length === 1;
                return refused === !apps.some((a) => contains(a, range));
            }), { numRuns: 500 });
        });
    });

    it("never admits a range outside the network as a data store's default clients, for any planned network", () => {
        const octet = fc.integer({ min: 0, max: 255 });
        fc.assert(fc.property(octet, fc.integer({ min: 2, max: 3 }), (second, zoneCount) => {
            const facts = awsNetwork(["z-a", "z-b", "z-c"].slice(0, zoneCount), `10.${second}.0.0/16`);
            const space = mustParseCidr(facts.cidrBlock);
            return tierRanges(facts, SubnetTier.App).every((cidr) => contains(space, mustParseCidr(cidr)));
        }));
    });
});
