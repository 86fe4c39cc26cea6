/**
 * The region-loss capacity tier over the real stacks' plans: in both prod stacks each region left can
 * scale every service to the replicas both stamps run at their baseline and hold their pods on its node
 * pools at their maximum; weakened copies (a survivor's autoscaler stopping below that, node pools too
 * small for the pods, an EKS cluster without a cluster autoscaler) fail naming the tier, the service or
 * pools and the region. The node table holds exactly the machines the stacks plan.
 */
import * as assert from "assert";
import { Plan } from "../../engine/format";
import { ROOT } from "../../engine/planStack";
import { loadStackFiles } from "../../engine/stackFiles";
import { copyOf, projectStacks, stackNames, stackPlan } from "../../engine/testing/plan";
import { RegionLossReport, regionLossCheck, regionalPlan } from ".";
import { stampCapacity } from "./capacity";
import { MACHINE_SIZES, MachineSize, PoolKind, cpuMillis, memoryMiB, serviceAllocatable } from "./machines";

const TIER = "capacity";
const capacityOf = (report: RegionLossReport, lost: string) => {
    const found = report.scenarios.find((s) => s.lostRegion === lost)?.tiers.find((t) => t.tier === TIER);
    assert.ok(found, `no ${TIER} verdict for the loss of ${lost}`);
    return found;
};
/** A copy whose resources named by `match` have their inputs changed. */
const edit = (plan: Plan, match: RegExp, change: (inputs: Record<string, unknown>) => void): Plan => {
    const copy = copyOf(plan);
    const found = copy.resources.filter((r) => match.test(r.name));
    assert.ok(found.length > 0, `no resource matches ${match}`);
    for (const r of found) change(r.inputs);
    return copy;
};
/** Sets the CPU request of the Deployments' containers. */
const requestCpu = (cpu: string) => (inputs: Record<string, unknown>) => {
    const pod = ((inputs.spec as Record<string, Record<string, Record<string, unknown>>>).template.spec);
    for (const c of pod.containers as { resources: { requests: Record<string, string> } }[]) c.resources.requests.cpu = cpu;
};
const fails = (plan: Plan, lost: string, detail: RegExp) => {
    const check = regionLossCheck(plan, "prod");
    assert.strictEqual(check.ok, false, check.text);
    const t = capacityOf(check.report, lost);
    assert.strictEqual(t.status, "down", t.detail);
    assert.match(t.detail, detail);
    assert.match(check.text, new RegExp(`^RESULT: ${plan.stack} does not survive the loss of (.*; )?${lost} \\([^)]*${TIER}`, "m"));
    return check.report;
};

/** Per prod stack: its regions, each survivor's node pools at their maximum, and the machine's figures per node. */
const PROD: Readonly<Record<string, { regions: [string, string]; nodes: RegExp }>> = {
    prod: { regions: ["eu-west-1", "us-east-1"], nodes: /; its pods need 3 nodes of max 30 \(3 pool\(s\), m6i\.xlarge: 3528m CPU, 12\.4 GiB, 48 pods for services per node\)$/ },
    "prod-azure": { regions: ["northeurope", "eastus2"], nodes: /; its pods need 3 nodes of max 30 \(3 pool\(s\), Standard_D4s_v5: 3474m CPU, 12\.7 GiB, 20 pods for services per node\)$/ },
};

describe("region-loss capacity", function () {
    this.timeout(120_000);

    for (const [stack, expected] of Object.entries(PROD)) {
        it(`${stack}: each region left scales every service to both stamps' baseline and holds the pods on its node pools`, async () => {
            const { report } = regionLossCheck(await stackPlan(stack), "prod");
            for (const [lost, survivor] of [expected.regions, [...expected.regions].reverse()]) {
                const t = capacityOf(report, lost);
                assert.deepStrictEqual([t.status, t.failover], ["serving", "automatic"], t.detail);
                assert.match(t.detail, new RegExp(`^${survivor} scales for its own and ${lost}'s clients: .*get-cookie to 4 of max 10`));
                assert.match(t.detail, /mix to 4 of max 6/);
                // AKS's system pools (tainted CriticalAddonsOnly) hold none of the services' pods: three app pools count.
                assert.match(t.detail, expected.nodes);
            }
        });
    }

    describe("weakened copies fail, naming the tier, the service or pools and the region", () => {
        it("AWS: us-east-1's get-cookie autoscaler stops below what both stamps run", async () => {
            const plan = edit(await stackPlan("prod"), /^cookies-use1-get-cookie-autoscaler$/, (i) => { (i.spec as Record<string, unknown>).maxReplicas = 3; });
            const report = fails(plan, "eu-west-1", /^get-cookie in us-east-1 needs 4 replicas \(2 of its own, 2 of eu-west-1's\), its autoscaler stops at 3$/);
            assert.strictEqual(capacityOf(report, "us-east-1").status, "serving");
        });

        it("Azure: eastus2's app pools stop at one node each, too few for heavier pods", async () => {
            const heavier = edit(await stackPlan("prod-azure"), /^cookies(-eastus2)?-get-cookie-deployment$/, requestCpu("1500m"));
            assert.strictEqual(capacityOf(regionLossCheck(heavier, "prod").report, "northeurope").status, "serving");
            const plan = edit(heavier, /^cluster-eastus2-nodes-z\d$/, (i) => { i.maxCount = 1; });
            fails(plan, "northeurope", /^eastus2 needs 2 nodes in zone 1 for its own and northeurope's baseline pods, its node pools there stop at 1 \(cluster-eastus2-nodes-z1 maxCount 1\)$/);
        });

        it("AWS: us-east-1's node groups with a max too small", async () => {
            const plan = edit(edit(await stackPlan("prod"), /^cookies(-use1)?-get-cookie-deployment$/, requestCpu("1500m")), /^cluster-use1-nodes-[a-z]$/, (i) => {
                Object.assign(i.scalingConfig as Record<string, unknown>, { minSize: 1, desiredSize: 1, maxSize: 1 });
            });
            fails(plan, "eu-west-1", /^us-east-1 needs 2 nodes in zone us-east-1a for its own and eu-west-1's baseline pods, its node pools there stop at 1 \(cluster-use1-nodes-a maxSize 1\)$/);
        });

        it("AWS: an EKS cluster without a cluster autoscaler stays at its node groups' desired size", async () => {
            const heavy = edit(await stackPlan("prod"), /^cookies(-use1)?-(get|prepare)-cookie-deployment$/, requestCpu("3"));
            const plan: Plan = { ...heavy, resources: heavy.resources.filter((r) => r.name !== "cluster-use1-autoscaler") };
            fails(plan, "eu-west-1", /^us-east-1 needs 4 nodes in zone us-east-1a .*, its node pools there stop at 2 \(cluster-use1-nodes-a desiredSize 2 \(no cluster autoscaler in us-east-1\)\)$/);
            assert.strictEqual(capacityOf(regionLossCheck(heavy, "prod").report, "eu-west-1").status, "serving");
        });

        it("a pod larger than any node it may run on", async () => {
            const plan = edit(await stackPlan("prod-azure"), /^cookies-eastus2-mix-deployment$/, requestCpu("8"));
            fails(plan, "northeurope", /^a mix pod in eastus2 requests 8000m CPU and 128 MiB, more than a node of any pool it may run on offers$/);
        });
    });

    it("knows exactly the node machines the stacks plan, at every node size", async () => {
        const planned = new Set<string>();
        const machines = (plan: Plan) => stampCapacity(regionalPlan(plan).resources).pools.forEach((p) => planned.add(p.machine));
        for (const { stack, cloud } of projectStacks()) {
            machines(await stackPlan(stack));
            if (!stackNames(cloud, "dev").includes(stack)) continue;
            const cluster = JSON.parse(loadStackFiles(ROOT, stack).config["intergalactic:cluster"] ?? "{}") as Record<string, unknown>;
            for (const nodeSize of ["small", "medium", "large"]) machines(await stackPlan(stack, { "intergalactic:cluster": JSON.stringify({ ...cluster, nodeSize }) }));
        }
        assert.deepStrictEqual([...planned].sort(), Object.keys(MACHINE_SIZES).sort());
    });

    it("reckons a node's allocatable by each cloud's documented reservations, less the system pods' share", () => {
        const size: MachineSize = { vcpus: 4, memoryGiB: 16, defaultMaxPods: 58, source: "" };
        // EKS: 4000m - (60 + 10 + 10)m; 16 GiB less 7.5% VM overhead, 11 MiB x 58 + 255 MiB, 100 MiB eviction; then 90%, 58 - 10 pods.
        assert.deepStrictEqual(serviceAllocatable(PoolKind.EksNodeGroup, size), { cpuMillis: 3528, memoryMiB: Math.floor((16384 * 0.925 - 893 - 100) * 0.9), pods: 48 });
        // AKS: 4000m - 140m; memory less min(20 x 30 + 50, 25%) = 650; pods from the pool's maxPods.
        assert.deepStrictEqual(serviceAllocatable(PoolKind.AksAgentPool, { ...size, defaultMaxPods: undefined }, 30), { cpuMillis: 3474, memoryMiB: Math.floor((16384 * 0.925 - 650 - 100) * 0.9), pods: 20 });
        assert.strictEqual(serviceAllocatable(PoolKind.AksAgentPool, { vcpus: 2, memoryGiB: 8, source: "" }).cpuMillis, Math.floor(1900 * 0.9));
    });

    it("reads Kubernetes quantities", () => {
        assert.deepStrictEqual(["100m", "0.5", 2, "1.5", "x"].map(cpuMillis), [100, 500, 2000, 1500, undefined]);
        assert.deepStrictEqual(["128Mi", "1Gi", "1048576", "1G", 2 ** 21, "1Q"].map(memoryMiB), [128, 1024, 1, 1e9 / 2 ** 20, 2, undefined]);
    });
});
