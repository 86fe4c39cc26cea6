import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Plan, PlannedResource } from "../../engine/format";
import { CreationTimes, PricedBy, loadCreationTimes, priceType, tableProblems } from "./creationTimes";
import { estimateSpinUp, formatDuration, formatEstimate, ratio } from "./estimate";
import { planTasks, providerUrn } from "./tasks";

const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
const urn = (type: string, name: string) => `urn:pulumi:t::p::${type}::${name}`;

function resource(type: string, name: string, opts: { parent?: string; deps?: string[]; custom?: boolean; provider?: string } = {}): PlannedResource {
    return {
        urn: urn(type, name), type, name, parent: opts.parent ?? STACK, dependencies: opts.deps ?? [], inputs: {}, custom: opts.custom ?? true,
        id: opts.custom === false ? "" : `${name}-id`, outputs: {}, propertyDependencies: {},
        options: { protect: false, retainOnDelete: false, deletedWith: "", ignoreChanges: [], provider: opts.provider ?? "" },
    };
}

const table: CreationTimes = {
    cliDefaultParallelism: { value: 2147483647, source: "https://example.com/up", note: "default" },
    default: { seconds: 5, basis: "estimate", source: "https://example.com/default", note: "api-only" },
    prefixes: [{ prefix: "random:", seconds: 0, basis: "documented", source: "https://example.com/random", note: "local" }],
    types: {
        "aws:ec2/vpc:Vpc": { seconds: 10, basis: "estimate", source: "https://example.com/vpc", note: "vpc" },
        "aws:eks/cluster:Cluster": { seconds: 900, basis: "reported", source: "https://example.com/eks", note: "eks" },
        "aws:msk/cluster:Cluster": { seconds: 1800, basis: "reported", source: "https://example.com/msk", note: "msk" },
    },
};

/** A stack: a network component with a VPC, a cluster and a queue both using the network component, a k8s object through a provider. */
function samplePlan(): Plan {
    const net = resource("intergalactic:index:Vpc3Az", "net", { custom: false });
    const vpc = resource("aws:ec2/vpc:Vpc", "net-vpc", { parent: net.urn });
    const sg = resource("aws:ec2/securityGroup:SecurityGroup", "net-sg", { parent: net.urn, deps: [vpc.urn] });
    const eks = resource("aws:eks/cluster:Cluster", "eks", { deps: [net.urn] });
    const password = resource("random:index/randomPassword:RandomPassword", "pw");
    const msk = resource("aws:msk/cluster:Cluster", "msk", { deps: [vpc.urn, password.urn, "urn:pulumi:t::p::gone::x"] });
    const provider = resource("pulumi:providers:kubernetes", "k8s", { deps: [eks.urn] });
    const ns = resource("kubernetes:core/v1:Namespace", "ns", { provider: `${provider.urn}::abc-123`, deps: [] });
    const stack = { ...resource("pulumi:pulumi:Stack", "p-t", { custom: false, parent: "" }), urn: STACK };
    return { stack: "t", cloud: "aws", formatVersion: 1, resources: [stack, net, vpc, sg, eks, password, msk, provider, ns], stackOutputs: {} };
}

describe("the plan's resources as scheduling tasks", () => {
    const tasks = new Map(planTasks(samplePlan(), table).map((t) => [t.name, t]));

    it("has one task per cloud resource and none for components or the stack", () => {
        assert.deepStrictEqual([...tasks.keys()], ["net-vpc", "net-sg", "eks", "pw", "msk", "k8s", "ns"]);
    });

    it("makes a dependency on a component wait for every cloud resource below it", () => {
        assert.deepStrictEqual(tasks.get("eks")!.deps.map((d) => d.split("::").pop()), ["net-vpc", "net-sg"]);
    });

    it("makes a resource wait for its explicit provider", () => {
        assert.deepStrictEqual(tasks.get("ns")!.deps.map((d) => d.split("::").pop()), ["k8s"]);
    });

    it("ignores dependencies on resources outside the plan", () => {
        assert.deepStrictEqual(tasks.get("msk")!.deps.map((d) => d.split("::").pop()), ["net-vpc", "pw"]);
    });

    it("prices by exact type, then by prefix, then by the default", () => {
        assert.deepStrictEqual(["eks", "pw", "net-sg"].map((n) => [tasks.get(n)!.seconds, tasks.get(n)!.pricedBy]),
            [[900, PricedBy.Type], [0, PricedBy.Prefix], [5, PricedBy.Default]]);
    });

    it("reads the URN out of a provider reference, whose URN itself contains ::", () => {
        assert.strictEqual(providerUrn("urn:pulumi:s::p::pulumi:providers:aws::default::1234-abcd"), "urn:pulumi:s::p::pulumi:providers:aws::default");
    });
});

describe("the spin-up estimate", () => {
    it("predicts the critical path at the CLI's default parallelism and names the slowest resource", () => {
        const e = estimateSpinUp(samplePlan(), table);
        assert.deepStrictEqual([e.parallelism, e.defaultParallelism, e.predictedSeconds, e.criticalPathSeconds], [2147483647, true, 1810, 1810]);
        assert.deepStrictEqual(e.criticalPath.map((s) => [s.name, s.start, s.seconds]), [["net-vpc", 0, 10], ["msk", 10, 1800]]);
        assert.deepStrictEqual(e.lowerBound, { seconds: 1800, type: "aws:msk/cluster:Cluster", name: "msk" });
        assert.strictEqual(ratio(e), 1.01);
    });

    it("serialises everything with --parallel 1", () => {
        const e = estimateSpinUp(samplePlan(), table, 1);
        assert.strictEqual(e.predictedSeconds, e.serialSeconds);
        assert.strictEqual(e.serialSeconds, 10 + 5 + 900 + 0 + 1800 + 5 + 5);
    });

    it("prints the prediction, the critical path resource by resource and the lower bound", () => {
        const text = formatEstimate(estimateSpinUp(samplePlan(), table, 2));
        assert.match(text, /Spin-up estimate for t \(aws\): 7 cloud resources, --parallel 2\n/);
        assert.match(text, /slowest single resource: +30m 00s +aws:msk\/cluster:Cluster msk/);
        assert.match(text, /lower bound \(required chain\): +30m 00s +msk\n/);
        assert.match(text, /Critical path:\n.*\n +0s +10s +aws:ec2\/vpc:Vpc net-vpc\n +10s +30m 00s +aws:msk\/cluster:Cluster msk/);
    });

    it("points at the creation-times table a consumer has (the file it read, inside the installed package), not a path of this repository", () => {
        const plan = samplePlan();
        const withUnknown: Plan = { ...plan, resources: [...plan.resources, resource("aws:iam/policy:Policy", "unpriced")] };
        const text = formatEstimate(estimateSpinUp(withUnknown, table, 2));
        const shown = /API-only\): \d+ types?; see (.+)$/m.exec(text)?.[1] ?? "";
        assert.ok(path.isAbsolute(shown) && fs.existsSync(shown) && path.basename(shown) === "creation-times.json", `shows ${JSON.stringify(shown)}`);
    });

    for (const [seconds, text] of [[0, "0s"], [45, "45s"], [600, "10m 00s"], [3725, "1h 02m 05s"]] as const) {
        it(`writes ${seconds} s as ${text}`, () => assert.strictEqual(formatDuration(seconds), text));
    }
});

describe("the required-chain lower bound", () => {
    it("follows values and providers, not ordering-only dependencies", () => {
        const p = samplePlan();
        const msk = p.resources.find((r) => r.name === "msk")!;
        // msk waits for the VPC only through dependsOn: the lower bound starts at msk itself.
        assert.deepStrictEqual(estimateSpinUp(p, table).chainLowerBound.path.map((s) => s.name), ["msk"]);
        msk.propertyDependencies = { vpcId: [p.resources.find((r) => r.name === "net-vpc")!.urn] };
        const e = estimateSpinUp(p, table);
        assert.deepStrictEqual([e.chainLowerBound.seconds, e.chainLowerBound.path.map((s) => s.name)], [1810, ["net-vpc", "msk"]]);
        assert.strictEqual(ratio(e), 1);
    });
});

describe("the creation-times table", () => {
    it("gives every figure a number, a basis, a public source and a note", () => {
        assert.deepStrictEqual(tableProblems(loadCreationTimes()), []);
    });

    it("uses the Pulumi CLI's documented default parallelism", () => {
        assert.strictEqual(loadCreationTimes().cliDefaultParallelism.value, 2147483647);
    });

    it("lists every problem of a bad table", () => {
        const bad = { ...table, types: { "x:y:Z": { seconds: -1, basis: "guess", source: "http://x", note: "" } } } as unknown as CreationTimes;
        assert.deepStrictEqual(tableProblems(bad), [
            "x:y:Z: seconds -1 must be a number >= 0",
            "x:y:Z: basis guess must be one of documented, reported, estimate",
            "x:y:Z: source http://x must be a public https URL",
            "x:y:Z: note must say what the figure rests on",
        ]);
    });

    it("prices the slow managed services of both clouds explicitly", () => {
        const real = loadCreationTimes();
        for (const type of ["aws:eks/cluster:Cluster", "aws:msk/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:docdb/clusterInstance:ClusterInstance",
            "azure-native:containerservice:ManagedCluster", "azure-native:redisenterprise:RedisEnterprise", "azure-native:cosmosdb:DatabaseAccount", "azure-native:network:BastionHost"]) {
            assert.strictEqual(priceType(real, type).via, PricedBy.Type, type);
        }
    });
});
