/**
 * The region-loss capacity tier over the real stacks' plans: in both prod stacks each region left can
 * scale every service to the replicas both stamps run at their baseline and hold their pods on its node
 * pools at their maximum; weakened copies (a survivor's autoscaler stopping below that, node pools too
 * small for the pods, an EKS cluster without a cluster autoscaler, or with one for another cluster, a lost
 * service without a counterpart, requests given only as limits or not readable, no metrics-server, pools
 * without a zone tag or over several zones) fail naming the tier, the service or pools and the region. The
 * node table holds exactly the machines the stacks plan.
 */
import * as assert from "assert";
import { Plan } from "../../engine/format";
import { ROOT } from "../../engine/planStack";
import { loadStackFiles } from "../../engine/stackFiles";
import { copyOf, projectStacks, stackNames, stackPlan } from "../../engine/testing/plan";
import { RegionLossReport, planZones, regionLossCheck, regionalPlan } from ".";
import { stampCapacity } from "./capacity";
import { MACHINE_SIZES, MachineSize, PoolKind, aksDefaultPods, cpuMillis, eksDefaultPods, kubeReserved, memoryMiB, serviceAllocatable } from "./machines";

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
type Container = { resources: { requests?: Record<string, string>; limits?: Record<string, string> } };
/** The containers of a Deployment's pod template. */
const containers = (inputs: Record<string, unknown>) => ((inputs.spec as Record<string, Record<string, Record<string, unknown>>>).template.spec.containers as Container[]);
/** Sets the CPU request of the Deployments' containers. */
const requestCpu = (cpu: string) => (inputs: Record<string, unknown>) => {
    for (const c of containers(inputs)) c.resources.requests!.cpu = cpu;
};
/** us-east-1's get-cookie and prepare-cookie each asking for 3 CPUs: 4 such pods per zone need 4 nodes there. */
const heavyUse1 = async () => edit(await stackPlan("prod"), /^cookies(-use1)?-(get|prepare)-cookie-deployment$/, requestCpu("3"));
const use1Only = (match: string) => new RegExp(`^cookies-use1-${match}$`);
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
    prod: { regions: ["eu-west-1", "us-east-1"], nodes: /; its pods need 3 nodes of max 30 \(3 pool\(s\), m6i\.xlarge: 3528m CPU, 12\.4 GiB, 48 pods for services per node\); at every service's maxReplicas \(38 pods\) they need 3 nodes$/ },
    // AKS runs metrics-server on every cluster: the HPAs scale without an add-on in the plan.
    "prod-azure": { regions: ["northeurope", "eastus2"], nodes: /; its pods need 3 nodes of max 30 \(3 pool\(s\), Standard_D4s_v5: 3474m CPU, 12\.7 GiB, 20 pods for services per node\); at every service's maxReplicas \(38 pods\) they need 3 nodes$/ },
};

describe("region-loss capacity", function () {
    this.timeout(120_000);

    for (const [stack, expected] of Object.entries(PROD)) {
        it(`${stack}: each region left scales every service to both stamps' baseline and holds the pods on its node pools`, async () => {
            const { report } = regionLossCheck(await stackPlan(stack), "prod");
            for (const [lost, survivor] of [expected.regions, [...expected.regions].reverse()]) {
                const t = capacityOf(report, lost);
                assert.deepStrictEqual([t.status, t.failover], ["serving", "automatic"], t.detail);
                assert.match(t.detail, new RegExp(`^${survivor} holds its own and ${lost}'s baseline \\(HPA minReplicas\\): .*get-cookie to 4 of max 10`));
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
            const heavy = await heavyUse1();
            const plan: Plan = { ...heavy, resources: heavy.resources.filter((r) => r.name !== "cluster-use1-autoscaler") };
            fails(plan, "eu-west-1", /^us-east-1 needs 4 nodes in zone us-east-1a .*, its node pools there stop at 2 \(cluster-use1-nodes-a desiredSize 2 \(no cluster autoscaler discovers cluster-use1-\w+ in us-east-1\)\)$/);
            assert.strictEqual(capacityOf(regionLossCheck(heavy, "prod").report, "eu-west-1").status, "serving");
        });

        it("AWS: Karpenter does not scale managed node groups, so its chart counts as no cluster autoscaler", async () => {
            const plan = edit(await heavyUse1(), /^cluster-use1-autoscaler$/, (i) => { if (i.chart) i.chart = "karpenter"; });
            fails(plan, "eu-west-1", /^us-east-1 needs 4 nodes in zone us-east-1a .*\(cluster-use1-nodes-a desiredSize 2 \(no cluster autoscaler discovers/);
        });

        it("AWS: a cluster autoscaler counts only for the cluster and region its values discover", async () => {
            const heavy = await heavyUse1();
            const euCluster = heavy.resources.find((r) => r.name === "cluster-eks")!.inputs.name;
            const otherCluster = edit(heavy, /^cluster-use1-autoscaler$/, (i) => { if (i.values) Object.assign(i.values, { autoDiscovery: { clusterName: euCluster } }); });
            fails(otherCluster, "eu-west-1", /desiredSize 2 \(no cluster autoscaler discovers cluster-use1-\w+ in us-east-1\)/);
            // The chart's awsRegion defaults to us-east-1: unset, a eu-west-1 release looks there.
            const euHeavy = edit(await stackPlan("prod"), /^cookies-(get|prepare)-cookie-deployment$/, requestCpu("3"));
            const noRegion = edit(euHeavy, /^cluster-autoscaler$/, (i) => { if (i.values) delete (i.values as Record<string, unknown>).awsRegion; });
            assert.strictEqual(capacityOf(regionLossCheck(euHeavy, "prod").report, "us-east-1").status, "serving");
            fails(noRegion, "us-east-1", /^eu-west-1 needs 4 nodes in zone eu-west-1a .*desiredSize 2 \(no cluster autoscaler discovers cluster-\w+ in eu-west-1\)/);
        });

        it("AWS: the cluster autoscaler's max-nodes-total bounds the cluster's nodes", async () => {
            const plan = edit(await heavyUse1(), /^cluster-use1-autoscaler$/, (i) => { if (i.values) ((i.values as Record<string, Record<string, unknown>>).extraArgs)["max-nodes-total"] = 8; });
            fails(plan, "eu-west-1", /^us-east-1 needs 1[0-9] nodes in cluster cluster-use1-\w+ for its own and eu-west-1's baseline pods, its cluster autoscaler stops at 8 \(max-nodes-total\)$/);
        });

        it("AWS: without a metrics-server an HPA cannot scale, so a service stays at its own baseline", async () => {
            const plan: Plan = { ...(await stackPlan("prod")), resources: (await stackPlan("prod")).resources.filter((r) => r.name !== "cluster-use1-metrics-server") };
            fails(plan, "eu-west-1", /^\S+ in us-east-1 needs 4 replicas \(2 of its own, 2 of eu-west-1's\), its HPA cannot scale past 2: no metrics-server in us-east-1$/);
            assert.strictEqual(capacityOf(regionLossCheck(plan, "prod").report, "us-east-1").status, "serving");
        });

        it("a service of the lost stamp with no counterpart (another namespace) fails the services and capacity tiers alike", async () => {
            const plan = edit(await stackPlan("prod"), /^cookies-use1-[a-z-]+-(deployment|autoscaler)$/, (i) => { (i.metadata as Record<string, unknown>).namespace = "cookies-use1"; });
            const report = fails(plan, "us-east-1", /^\S+ in namespace cookies-use1 of us-east-1 has no counterpart in eu-west-1: nothing there takes its 2 replica\(s\)' clients$/);
            const services = report.scenarios.find((s) => s.lostRegion === "us-east-1")!.tiers.find((t) => t.tier === "services")!;
            assert.strictEqual(services.status, "down", services.detail);
            assert.match(services.detail, /cookies-use1\/get-cookie.* run\(s\) only in us-east-1/);
        });

        it("a container with a limit and no request counts its limit; one with neither, or an unreadable quantity, fails", async () => {
            const limitsOnly = edit(await stackPlan("prod"), /^cookies(-use1)?-(get|prepare)-cookie-deployment$/, (i) => {
                for (const c of containers(i)) c.resources = { limits: { cpu: "3", memory: "256Mi" } };
            });
            const plan: Plan = { ...limitsOnly, resources: limitsOnly.resources.filter((r) => r.name !== "cluster-use1-autoscaler") };
            fails(plan, "eu-west-1", /^us-east-1 needs 4 nodes in zone us-east-1a .*stop at 2/);
            const none = edit(await stackPlan("prod"), use1Only("mix-deployment"), (i) => { for (const c of containers(i)) c.resources = {}; });
            fails(none, "eu-west-1", /^mix in us-east-1: container mix sets neither a cpu request nor a limit; container mix sets neither a memory request nor a limit, so what its pods need is not known$/);
            const unknown = edit(await stackPlan("prod"), use1Only("mix-deployment"), (i) => { for (const c of containers(i)) c.resources.requests!.memory = "[unknown]"; });
            fails(unknown, "eu-west-1", /^mix in us-east-1: container mix's memory request "\[unknown\]" is no quantity the check can read/);
        });

        it("a Deployment without an HPA runs its fixed replicas", async () => {
            const noHpa = { ...(await stackPlan("prod")), resources: (await stackPlan("prod")).resources.filter((r) => r.name !== "cookies-use1-mix-autoscaler") };
            const plan = edit(noHpa, use1Only("mix-deployment"), (i) => { (i.spec as Record<string, unknown>).replicas = 3; });
            fails(plan, "eu-west-1", /^mix in us-east-1 needs 5 replicas \(3 of its own, 2 of eu-west-1's\), it runs a fixed 3 \(no autoscaler\)$/);
        });

        it("a node pool tainted against the services holds none of their pods, unless they tolerate it", async () => {
            const taint = { key: "dedicated", value: "batch", effect: "NO_SCHEDULE" };
            const tainted = edit(await stackPlan("prod"), /^cluster-use1-nodes-[a-z]$/, (i) => { i.taints = [taint]; });
            fails(tainted, "eu-west-1", /^us-east-1 has no node pool its services' pods may run on$/);
            const tolerated = edit(tainted, /^cookies-use1-[a-z-]+-deployment$/, (i) => {
                ((i.spec as Record<string, Record<string, Record<string, unknown>>>).template.spec).tolerations = [{ key: "dedicated", operator: "Equal", value: "batch", effect: "NoSchedule" }];
            });
            assert.strictEqual(capacityOf(regionLossCheck(tolerated, "prod").report, "eu-west-1").status, "serving");
        });

        it("AWS: a node group's zone comes from its subnets when it has no zone tag", async () => {
            const plan = edit(edit(await heavyUse1(), /^cluster-use1-autoscaler$/, (i) => { if (i.chart) i.chart = "none"; }), /^cluster-use1-nodes-[a-z]$/, (i) => {
                delete (i.tags as Record<string, unknown>)["intergalactic:zone"];
            });
            fails(plan, "eu-west-1", /^us-east-1 needs 4 nodes in zone us-east-1a .*\(cluster-use1-nodes-a desiredSize 2/);
        });

        it("AWS: a node group over three zones counts an even share of its nodes in each", async () => {
            const prod = await stackPlan("prod");
            const subnets = prod.resources.filter((r) => /^cluster-use1-nodes-[a-z]$/.test(r.name)).flatMap((r) => r.inputs.subnetIds as string[]);
            const one = edit(prod, /^cluster-use1-nodes-a$/, (i) => { i.subnetIds = subnets; delete (i.tags as Record<string, unknown>)["intergalactic:zone"]; (i.scalingConfig as Record<string, unknown>).maxSize = 10; });
            const plan = { ...one, resources: one.resources.filter((r) => !/^cluster-use1-nodes-[bd]$/.test(r.name)) };
            assert.match(capacityOf(regionLossCheck(plan, "prod").report, "eu-west-1").detail, /its pods need 3 nodes of max 9 \(3 pool\(s\)/);
            const heavy = edit(plan, /^cookies(-use1)?-(get|prepare)-cookie-deployment$/, requestCpu("3"));
            fails(heavy, "eu-west-1", /^us-east-1 needs 4 nodes in zone us-east-1a .*\(cluster-use1-nodes-a \(us-east-1a\) maxSize 10 over 3 zones, 3 in each\)$/);
        });

        it("Azure: a pool without maxPods takes its network's default (Azure CNI Overlay: 250), with the memory reserved for them", async () => {
            const plan = edit(await stackPlan("prod-azure"), /^cluster(-eastus2)?-nodes-z\d$/, (i) => { delete i.maxPods; });
            const t = capacityOf(regionLossCheck(plan, "prod").report, "northeurope");
            assert.strictEqual(t.status, "serving", t.detail);
            assert.match(t.detail, /Standard_D4s_v5: 3474m CPU, 9\.6 GiB, 240 pods for services per node/);
        });

        it("a pod larger than any node it may run on", async () => {
            const plan = edit(await stackPlan("prod-azure"), /^cookies-eastus2-mix-deployment$/, requestCpu("8"));
            fails(plan, "northeurope", /^a mix pod in eastus2 \(zone 1\) requests 8000m CPU and 128 MiB, more than a node of any pool it may run on there offers$/);
        });
    });

    // The node sizes are planned on the dev stacks only: components/kubernetes/layout.ts maps a size per cloud, not per environment.
    it("knows exactly the node machines the stacks plan, at every node size", async () => {
        const planned = new Set<string>();
        const machines = (plan: Plan) => stampCapacity(regionalPlan(plan).resources, planZones(plan)).pools.forEach((p) => planned.add(p.machine));
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
        // AKS's own example (node-resource-reservations): 8 GB and 30 pods reserve 20 MB x 30 + 50 MB = 650 MB; 2 cores 100m.
        assert.deepStrictEqual(kubeReserved(PoolKind.AksAgentPool, { vcpus: 2, memoryGiB: 8, source: "" }, 30), { cpuMillis: 100, memoryMiB: 650 });
        // ... and 4 GB with 70 pods reserve 25% = 1000 MB (here 1024 MiB), as that is less than 1450.
        assert.strictEqual(kubeReserved(PoolKind.AksAgentPool, { vcpus: 2, memoryGiB: 4, source: "" }, 70).memoryMiB, 1024);
        // nodeadm on m6i.xlarge (58 pods): 60 + 10 + 5 + 5 = 80m, 11 x 58 + 255 = 893 MiB.
        assert.deepStrictEqual(kubeReserved(PoolKind.EksNodeGroup, size, 58), { cpuMillis: 80, memoryMiB: 893 });
        // EKS: 4000m - 80m; 16 GiB less 7.5% VM overhead, 893 MiB, 100 MiB eviction; then 90%, 58 - 10 pods.
        assert.deepStrictEqual(serviceAllocatable(PoolKind.EksNodeGroup, size, eksDefaultPods(size)), { cpuMillis: 3528, memoryMiB: 12745, pods: 48 });
        // AKS: 4000m - 140m; memory less 650 MiB; pods from the pool's maxPods.
        assert.deepStrictEqual(serviceAllocatable(PoolKind.AksAgentPool, size, { slots: 30, reservedFor: 30 }), { cpuMillis: 3474, memoryMiB: 12964, pods: 20 });
    });

    it("takes AKS's default max pods by network plugin, and the safe side of each when the plugin is not known", () => {
        const overlay = aksDefaultPods({ networkPlugin: "azure", networkPluginMode: "overlay", podSubnet: false });
        assert.deepStrictEqual([overlay, aksDefaultPods({ networkPlugin: "azure", podSubnet: true }), aksDefaultPods({ networkPlugin: "azure", podSubnet: false }), aksDefaultPods({ networkPlugin: "kubenet", podSubnet: false })],
            [{ slots: 250, reservedFor: 250 }, { slots: 110, reservedFor: 110 }, { slots: 30, reservedFor: 30 }, { slots: 110, reservedFor: 110 }]);
        assert.deepStrictEqual(aksDefaultPods({ podSubnet: false }), { slots: 30, reservedFor: 250 });
        // 250 pods reserve min(5050, 25% of 16 GiB) = 4096 MiB of a D4s_v5.
        assert.strictEqual(serviceAllocatable(PoolKind.AksAgentPool, MACHINE_SIZES.Standard_D4s_v5, overlay).memoryMiB, Math.floor((16384 * 0.925 - 4096 - 100) * 0.9));
    });

    it("cites nodeadm's max-pods sources for the m6i machines", () => {
        for (const machine of ["m6i.large", "m6i.xlarge", "m6i.2xlarge"]) {
            assert.match(MACHINE_SIZES[machine].source, /amazon-eks-ami\/blob\/main\/nodeadm\/internal\/kubelet\/eni_max_pods\.go, .*\/nodeadm\/internal\/kubelet\/instance-info\.jsonl$/);
        }
    });

    it("reads Kubernetes quantities", () => {
        assert.deepStrictEqual(["100m", "0.5", 2, "1.5", "x"].map(cpuMillis), [100, 500, 2000, 1500, undefined]);
        assert.deepStrictEqual(["128Mi", "1Gi", "1048576", "1G", 2 ** 21, "1Q"].map(memoryMiB), [128, 1024, 1, 1e9 / 2 ** 20, 2, undefined]);
    });
});
