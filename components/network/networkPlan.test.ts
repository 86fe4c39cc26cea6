import * as assert from "assert";
import * as fc from "fast-check";
import { InvalidArgumentsError } from "../common/validation";
import { mustParseCidr, overlaps, contains } from "./cidr";
import { NetworkPlan, NetworkPlanInput, planNetwork } from "./networkPlan";

const AWS_ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];
const aws = (extra: Partial<NetworkPlanInput> = {}): NetworkPlanInput => ({ cloud: "aws", availabilityZones: AWS_ZONES, ...extra });
const cidrsByName = (plan: NetworkPlan) => Object.fromEntries(plan.subnets.map((s) => [s.name, s.cidr]));

function problemsOf(input: NetworkPlanInput): string {
    try {
        planNetwork("net", input);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError, `expected InvalidArgumentsError, got ${err}`);
        return err.message;
    }
    assert.fail("expected the plan to be rejected");
}

describe("planNetwork", () => {
    it("lays out a public, an app and a data subnet in each of three AWS zones", () => {
        const plan = planNetwork("net", aws());
        assert.deepStrictEqual(plan.zones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert.deepStrictEqual(cidrsByName(plan), {
            "net-public-a": "10.0.16.0/22", "net-app-a": "10.0.0.0/20", "net-data-a": "10.0.20.0/22",
            "net-public-b": "10.0.48.0/22", "net-app-b": "10.0.32.0/20", "net-data-b": "10.0.52.0/22",
            "net-public-c": "10.0.80.0/22", "net-app-c": "10.0.64.0/20", "net-data-c": "10.0.84.0/22",
        });
    });

    it("keeps every subnet of a 3-zone layout at the same CIDR in a 4-zone layout", () => {
        const three = cidrsByName(planNetwork("net", aws({ zoneCount: 3 })));
        const four = cidrsByName(planNetwork("net", aws({ zoneCount: 4 })));
        for (const [name, cidr] of Object.entries(three)) assert.strictEqual(four[name], cidr, name);
        assert.strictEqual(Object.keys(four).length, 12);
    });

    it("keeps subnets stable and disjoint for any network size and zone count", () => {
        fc.assert(fc.property(fc.integer({ min: 16, max: 22 }), fc.integer({ min: 2, max: 5 }), (prefix, zones) => {
            const cidrBlock = `10.0.0.0/${prefix}`;
            const smaller = planNetwork("net", aws({ cidrBlock, zoneCount: zones }));
            const larger = planNetwork("net", aws({ cidrBlock, zoneCount: zones + 1 }));
            const largerCidrs = cidrsByName(larger);
            for (const s of smaller.subnets) assert.strictEqual(largerCidrs[s.name], s.cidr);
            const parsed = larger.subnets.map((s) => mustParseCidr(s.cidr));
            parsed.forEach((a, i) => {
                assert.ok(contains(mustParseCidr(cidrBlock), a));
                parsed.slice(i + 1).forEach((b) => assert.ok(!overlaps(a, b)));
            });
        }));
    });

    it("routes each zone's app subnet through its own NAT with OnePerAz, and all through one with Single", () => {
        const perAz = planNetwork("net", aws());
        assert.deepStrictEqual(perAz.nats.map((n) => [n.zone, n.serves]), [
            ["us-east-1a", ["net-app-a"]], ["us-east-1b", ["net-app-b"]], ["us-east-1c", ["net-app-c"]],
        ]);
        const single = planNetwork("net", aws({ natStrategy: "Single" }));
        assert.deepStrictEqual(single.nats.map((n) => [n.zone, n.serves]), [["us-east-1a", ["net-app-a", "net-app-b", "net-app-c"]]]);
        assert.deepStrictEqual(planNetwork("net", aws({ natStrategy: "None" })).nats, []);
    });

    it("gives Azure zonal app subnets and regional public, data and AzureBastionSubnet ranges of /26 or larger", () => {
        const plan = planNetwork("net", { cloud: "azure" });
        assert.deepStrictEqual(plan.zones, ["1", "2", "3"]);
        assert.deepStrictEqual(plan.subnets.map((s) => [s.name, s.tier, s.zone ?? "", s.cidr]), [
            ["net-app-z1", "app", "1", "10.0.0.0/20"],
            ["net-app-z2", "app", "2", "10.0.32.0/20"],
            ["net-app-z3", "app", "3", "10.0.64.0/20"],
            ["net-public", "public", "", "10.0.224.0/21"],
            ["net-data", "data", "", "10.0.232.0/21"],
            ["net-bastion", "bastion", "", "10.0.240.0/26"],
        ]);
    });

    describe("rejects bad input with the arg, the value and the rule", () => {
        const cases: [string, NetworkPlanInput, RegExp][] = [
            ["an unknown cloud", { cloud: "gcp" }, /cloud: "gcp" is not a supported cloud: use one of aws, azure/],
            ["a malformed CIDR", aws({ cidrBlock: "10.0.0/16" }), /cidrBlock: "10.0.0\/16" is not an IPv4 CIDR/],
            ["a CIDR with host bits", aws({ cidrBlock: "10.0.0.1/16" }), /cidrBlock: "10.0.0.1\/16" has host bits set: did you mean 10.0.0.0\/16\?/],
            ["a public CIDR", aws({ cidrBlock: "8.0.0.0/16" }), /cidrBlock: "8.0.0.0\/16" is not private address space/],
            ["a CIDR too small for the AWS layout", aws({ cidrBlock: "10.0.0.0/24" }), /cidrBlock: "10.0.0.0\/24" is too small for the 3-tier layout on aws: use a \/22 or larger/],
            ["a CIDR too small for Azure Bastion", { cloud: "azure", cidrBlock: "10.0.0.0/22" }, /cidrBlock: "10.0.0.0\/22" is too small for the 3-tier layout on azure: use a \/21 or larger/],
            ["a CIDR larger than AWS allows", aws({ cidrBlock: "10.0.0.0/12" }), /cidrBlock: "10.0.0.0\/12" is larger than aws allows: use a \/16 or smaller/],
            ["a single zone", aws({ zoneCount: 1 }), /zoneCount: 1 must be an integer from 2 to 7/],
            ["more zones than the region offers", { cloud: "aws", availabilityZones: ["us-west-1a", "us-west-1c"] },
                /zoneCount: 3 exceeds the 2 zones the region offers \(us-west-1a, us-west-1c\); availabilityZoneNames\(\) leaves out zones whose IDs EKS rejects \(use1-az3, usw1-az2/],
            ["no zones on AWS", { cloud: "aws" }, /availabilityZones: undefined: on aws the region's zones are required \(look them up with `availabilityZoneNames\(\)` from intergalactic-infra\/network\)/],
            ["Azure zones that do not exist", { cloud: "azure", availabilityZones: ["1", "2", "4"] }, /availabilityZones: \["1","2","4"\] are not Azure zones/],
            ["duplicate zones", aws({ availabilityZones: ["a", "a", "b"] }), /availabilityZones: \["a","a","b"\] must be distinct/],
            ["an unknown NAT strategy", aws({ natStrategy: "PerSubnet" }), /natStrategy: "PerSubnet" is not allowed: use one of OnePerAz, Single, None/],
            ["an overlapping avoided range", aws({ avoidCidrs: ["10.0.128.0/17"] }), /avoidCidrs\[0\]: "10.0.128.0\/17" overlaps cidrBlock 10.0.0.0\/16/],
            ["a malformed avoided range", aws({ avoidCidrs: ["nope"] }), /avoidCidrs\[0\]: "nope" is not an IPv4 CIDR/],
            ["an overlay pod range inside the network", { cloud: "azure", azure: { podCidrs: ["10.0.64.0/18"] } }, /azure\.podCidrs\[0\]: "10.0.64.0\/18" overlaps cidrBlock 10.0.0.0\/16: an overlay pod range must be outside the network/],
            ["an overlay pod range over a connected network", { cloud: "azure", azure: { podCidrs: ["10.244.0.0/16"] }, avoidCidrs: ["10.244.8.0/24"] }, /azure\.podCidrs\[0\]: "10.244.0.0\/16" overlaps avoidCidrs range 10.244.8.0\/24, a connected network/],
            ["a pod range on aws, where it does nothing", aws({ azure: { podCidrs: ["10.244.0.0/16"] } }), /azure\.podCidrs: \["10.244.0.0\/16"\] does nothing on aws \(only azure uses it\): on aws pods take VPC addresses/],
            ["a deprecated top-level pod range on aws", aws({ podCidrs: ["10.244.0.0/16"] }), /(?<!\.)podCidrs: \["10.244.0.0\/16"\] does nothing on aws \(only azure uses it\)/],
            ["a data port that is no port", { cloud: "azure", azure: { dataPorts: ["8599-8500"] } }, /azure\.dataPorts\[0\]: "8599-8500" is not a port or a port range/],
            ["jump box SSH from the whole internet", { cloud: "azure", azure: { jumpBoxSshCidrs: ["0.0.0.0/0"] } }, /azure\.jumpBoxSshCidrs\[0\]: "0.0.0.0\/0" opens SSH to the whole internet/],
            ["a retention CloudWatch does not offer", aws({ aws: { flowLogRetentionDays: 10 } }), /aws\.flowLogRetentionDays: 10 is not a CloudWatch Logs retention period/],
        ];
        for (const [what, input, expected] of cases) {
            it(`rejects ${what}`, () => assert.match(problemsOf(input), expected));
        }

        it("lists every problem at once", () => {
            const message = problemsOf(aws({ cidrBlock: "8.0.0.0/16", zoneCount: 9, natStrategy: "Some" }));
            assert.match(message, /^Invalid arguments for Vpc3Az "net":/);
            assert.strictEqual(message.split("\n - ").length - 1, 3);
        });
    });
});

describe("planNetwork's AWS-only flow logs", () => {
    it("refuses flowLogRetentionDays on Azure, where the network keeps no flow logs", () => {
        assert.throws(() => planNetwork("net", { cloud: "azure", aws: { flowLogRetentionDays: 30 } }),
            /aws\.flowLogRetentionDays: 30 does nothing on azure \(only aws uses it\): the Azure network has no flow logs here; remove it/);
        assert.throws(() => planNetwork("net", { cloud: "azure", flowLogRetentionDays: 30 }),
            /- flowLogRetentionDays: 30 does nothing on azure \(only aws uses it\): the Azure network has no flow logs here; remove it/);
        assert.doesNotThrow(() => planNetwork("net", { cloud: "azure" }));
    });
});

describe("Vpc3Az's cloud groups", () => {
    const AWS_ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
    const AZURE_ARGS = { podCidrs: ["10.244.0.0/16"], dataPorts: ["8500-8599"], jumpBoxSshCidrs: ["203.0.113.0/24"], ingressFromFrontDoorOnly: true };

    it("plans the deprecated top-level keys exactly as the grouped ones, on their own cloud", () => {
        assert.deepStrictEqual(planNetwork("net", { cloud: "azure", ...AZURE_ARGS }), planNetwork("net", { cloud: "azure", azure: AZURE_ARGS }));
        assert.deepStrictEqual(planNetwork("net", { cloud: "aws", availabilityZones: AWS_ZONES, flowLogRetentionDays: 90 }),
            planNetwork("net", { cloud: "aws", availabilityZones: AWS_ZONES, aws: { flowLogRetentionDays: 90 } }));
        assert.deepStrictEqual(planNetwork("net", { cloud: "azure", azure: AZURE_ARGS }).admission, { ...AZURE_ARGS });
    });

    it("refuses every key of the Azure group on AWS, naming its path, value and why it does nothing there", () => {
        assert.throws(() => planNetwork("net", { cloud: "aws", availabilityZones: AWS_ZONES, azure: AZURE_ARGS }), (error: Error) => {
            assert.deepStrictEqual(error.message.split("\n").slice(1), [
                " - azure.podCidrs: [\"10.244.0.0/16\"] does nothing on aws (only azure uses it): on aws pods take VPC addresses and security groups filter them; remove it",
                " - azure.dataPorts: [\"8500-8599\"] does nothing on aws (only azure uses it): on aws each data store opens its own port in its security group; remove it",
                " - azure.jumpBoxSshCidrs: [\"203.0.113.0/24\"] does nothing on aws (only azure uses it): on aws the bastion's own security group admits SSH; remove it",
                " - azure.ingressFromFrontDoorOnly: true does nothing on aws (only azure uses it): on aws the load balancer's own security group admits its clients; remove it",
            ]);
            return true;
        });
    });

    it("refuses an unknown key in a group or at the top level, suggesting the near key", () => {
        assert.throws(() => planNetwork("net", { cloud: "azure", azure: { podCidr: ["10.244.0.0/16"] } } as never),
            /azure\.podCidr: \["10.244.0.0\/16"\] is not an arg of azure: did you mean azure\.podCidrs\?/);
        assert.throws(() => planNetwork("net", { cloud: "azure", zonecount: 3 } as never), /zonecount: 3 is not an arg: did you mean zoneCount\?/);
    });

    it("refuses a key given both at the top level and in its group", () => {
        assert.throws(() => planNetwork("net", { cloud: "azure", podCidrs: ["10.244.0.0/16"], azure: { podCidrs: ["10.245.0.0/16"] } }),
            /podCidrs: \["10.244.0.0\/16"\] is also given as azure\.podCidrs: give it only as azure\.podCidrs \(the top-level podCidrs is deprecated\)/);
    });

    it("names a deprecated key as written in its own problems", () => {
        assert.throws(() => planNetwork("net", { cloud: "azure", dataPorts: ["x"] }), /- dataPorts\[0\]: "x" is not a port/);
    });
});
