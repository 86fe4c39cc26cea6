import * as assert from "assert";
import { analyzeDeployability } from "../engine/deployability/analyze";
import { DependencyGraph } from "../engine/dependencies";
import { Plan, PlannedResource } from "../engine/format";
import { planStack } from "../engine/planStack";
import { planError, planInMode, stackSection } from "./testing";
import { stackNames } from "../engine/testing/plan";

/** Every resource that holds data or what restoring it needs: a hibernation must leave each exactly as it is. */
const DATA_TYPES = [
    "aws:docdb/cluster:Cluster", "aws:docdb/subnetGroup:SubnetGroup", "aws:docdb/clusterParameterGroup:ClusterParameterGroup",
    "aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:msk/cluster:Cluster", "aws:msk/configuration:Configuration", "aws:kms/key:Key", "aws:secretsmanager/secret:Secret",
    "azure-native:cosmosdb:DatabaseAccount", "azure-native:cosmosdb:MongoDBResourceMongoDBDatabase", "azure-native:cosmosdb:MongoDBResourceMongoDBCollection",
    "azure-native:redisenterprise:RedisEnterprise", "azure-native:redisenterprise:Database",
    "azure-native:eventhub:Namespace", "azure-native:eventhub:EventHub",
];

describe("hibernation in the stack program (intergalactic:schedule.mode)", () => {
    const plans = new Map<string, Plan>();
    before(async function () {
        this.timeout(300_000);
        for (const stack of stackNames(undefined, "dev")) {
            for (const mode of ["running", "hibernated", "waking"] as const) plans.set(`${stack}/${mode}`, await planInMode(stack, mode));
        }
    });
    const plan = (stack: string, mode: string) => plans.get(`${stack}/${mode}`)!;
    const ofType = (p: Plan, type: string) => p.resources.filter((r) => r.type === type);
    const byUrn = (p: Plan) => new Map(p.resources.map((r) => [r.urn, r]));

    it("removes dev's DocumentDB replicas and the bastion, and keeps its NAT gateway, address and routes", () => {
        const running = plan("dev", "running");
        const hibernated = plan("dev", "hibernated");
        const urns = (p: Plan, type: string) => ofType(p, type).map((r) => r.urn);
        for (const type of ["aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip", "aws:ec2/route:Route"]) {
            assert.ok(urns(running, type).length > 0);
            assert.deepStrictEqual(urns(hibernated, type), urns(running, type), type);
        }
        const instances = (p: Plan) => ofType(p, "aws:docdb/clusterInstance:ClusterInstance").map((r) => r.name);
        assert.deepStrictEqual(instances(hibernated), instances(running).slice(0, 1));
        assert.ok(running.resources.some((r) => r.type === "intergalactic:index:BastionHost"));
        assert.ok(hibernated.resources.every((r) => r.type !== "intergalactic:index:BastionHost" && !r.urn.includes("BastionHost")));
    });

    it("writes dev's node groups to zero when hibernated and back to the plan's counts when waking; running leaves them to the autoscaler", () => {
        const scaling = (r: PlannedResource) => r.inputs.scalingConfig as { minSize: number; desiredSize: number; maxSize: number };
        for (const [mode, min, desired, ignored] of [["hibernated", 0, 0, false], ["waking", 1, 1, false], ["running", 1, 1, true]] as const) {
            const groups = ofType(plan("dev", mode), "aws:eks/nodeGroup:NodeGroup");
            assert.strictEqual(groups.length, 3);
            for (const g of groups) {
                assert.deepStrictEqual([scaling(g).minSize, scaling(g).desiredSize, scaling(g).maxSize >= 1], [min, desired, true], `${mode} ${g.name}`);
                assert.strictEqual(g.options.ignoreChanges.includes("scalingConfig.desiredSize"), ignored, `${mode} ${g.name}`);
            }
        }
    });

    /**
     * The scaling config EKS receives when `next` is applied over `previous`: Pulumi sends an ignored path's old value
     * (https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/). EKS takes it only when minSize <= desiredSize
     * <= maxSize (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html; "Minimum capacity 1
     * can't be greater than desired size 0", terraform-aws-modules/terraform-aws-eks#748).
     */
    const refusedScaling = (previous: Plan, next: Plan): string[] => {
        const before = byUrn(previous);
        type Scaling = { minSize: number; desiredSize: number; maxSize: number };
        return ofType(next, "aws:eks/nodeGroup:NodeGroup").flatMap((g) => {
            const sent = { ...(g.inputs.scalingConfig as Scaling) };
            const old = before.get(g.urn)?.inputs.scalingConfig as Scaling | undefined;
            if (old && g.options.ignoreChanges.includes("scalingConfig.desiredSize")) sent.desiredSize = old.desiredSize;
            return sent.minSize <= sent.desiredSize && sent.desiredSize <= sent.maxSize ? [] : [`${g.name}: min ${sent.minSize} desired ${sent.desiredSize} max ${sent.maxSize}`];
        });
    };

    it("wakes dev's node groups on a person's plain up (no mode) over the hibernated state, in a scaling config EKS accepts", async function () {
        // The stack file never keeps the mode, so a person's `pulumi up` on a hibernated stack is a running up; the
        // program reads the live node groups of the cluster its last outputs name and writes the counts back, as waking does.
        this.timeout(120_000);
        const hibernated = plan("dev", "hibernated");
        const person = await planStack("dev", undefined, hibernated.stackOutputs, {}, hibernated.resources);
        assert.deepStrictEqual(refusedScaling(hibernated, person), []);
        assert.strictEqual(hibernated.stackOutputs.nodeGroupsAtZero, true);
        for (const g of ofType(person, "aws:eks/nodeGroup:NodeGroup")) assert.deepStrictEqual(g.options.ignoreChanges, [], g.name);
        assert.strictEqual(person.stackOutputs.nodeGroupsAtZero, false);
        // The rest of the person's plan is the waking plan's.
        const inputs = (p: Plan) => p.resources.filter((r) => r.type !== "pulumi:pulumi:StackReference").map((r) => [r.urn, r.inputs]);
        assert.deepStrictEqual(inputs(person), inputs(plan("dev", "waking")));
    });

    it("wakes dev's node groups on a plain up after a hibernate that failed once they reached zero, whose outputs are still the running update's", async function () {
        // A failed update keeps the previous outputs (pulumi/pulumi#15754): nodeGroupsAtZero says false over groups at 0.
        this.timeout(120_000);
        const hibernated = plan("dev", "hibernated");
        const person = await planStack("dev", undefined, plan("dev", "running").stackOutputs, {}, hibernated.resources);
        assert.deepStrictEqual(refusedScaling(hibernated, person), []);
    });

    it("plans a first up, and an up whose last outputs name a cluster EKS no longer lists, in running mode without a failing invoke", async function () {
        // Listing or reading the groups of a missing cluster fails (ResourceNotFoundException); the program lists the clusters first.
        this.timeout(120_000);
        const first = await planStack("dev", undefined, undefined, {}, []);
        const gone = await planStack("dev", undefined, plan("dev", "running").stackOutputs, {}, []);
        for (const p of [first, gone]) {
            for (const g of ofType(p, "aws:eks/nodeGroup:NodeGroup")) assert.deepStrictEqual(g.options.ignoreChanges, ["scalingConfig.desiredSize"], g.name);
        }
    });

    it("keeps dev's node counts with the autoscaler on a daytime up with minNodesPerZone 0 when the autoscaler left one zone at 0", async function () {
        // Min 0 / desired 0 is a scaling config EKS takes: only a group below its minimum, or no node at all, needs waking.
        this.timeout(120_000);
        const cluster = JSON.stringify({ ...stackSection("dev", "cluster"), minNodesPerZone: 0 });
        const running = await planStack("dev", undefined, undefined, { "intergalactic:cluster": cluster });
        let first = true;
        const live = running.resources.map((r) => {
            if (r.type !== "aws:eks/nodeGroup:NodeGroup" || !first) return r;
            first = false;
            return { ...r, inputs: { ...r.inputs, scalingConfig: { ...(r.inputs.scalingConfig as object), desiredSize: 0 } } };
        });
        const daytime = await planStack("dev", undefined, running.stackOutputs, { "intergalactic:cluster": cluster }, live);
        for (const g of ofType(daytime, "aws:eks/nodeGroup:NodeGroup")) assert.deepStrictEqual(g.options.ignoreChanges, ["scalingConfig.desiredSize"], g.name);
        // Every group at 0 (hibernated): nothing runs the autoscaler, so the counts are written.
        const asleep = live.map((r) => (r.type === "aws:eks/nodeGroup:NodeGroup" ? { ...r, inputs: { ...r.inputs, scalingConfig: { ...(r.inputs.scalingConfig as object), desiredSize: 0 } } } : r));
        const woken = await planStack("dev", undefined, running.stackOutputs, { "intergalactic:cluster": cluster }, asleep);
        for (const g of ofType(woken, "aws:eks/nodeGroup:NodeGroup")) assert.deepStrictEqual(g.options.ignoreChanges, [], g.name);
    });

    it("leaves dev's node counts to the cluster autoscaler on a daytime up over a running state, and every mode change is one EKS accepts", async function () {
        // Writing desiredSize on a running stack would reset what the autoscaler chose; EKS terminates nodes above it
        // (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html).
        this.timeout(120_000);
        const daytime = await planStack("dev", undefined, plan("dev", "running").stackOutputs, {}, plan("dev", "running").resources);
        assert.strictEqual(plan("dev", "running").stackOutputs.nodeGroupsAtZero, false);
        for (const g of ofType(daytime, "aws:eks/nodeGroup:NodeGroup")) assert.deepStrictEqual(g.options.ignoreChanges, ["scalingConfig.desiredSize"], g.name);
        for (const [from, to] of [["running", "hibernated"], ["hibernated", "waking"], ["waking", "running"], ["waking", "hibernated"]]) {
            assert.deepStrictEqual(refusedScaling(plan("dev", from), plan("dev", to)), [], `${from} -> ${to}`);
        }
    });

    const SKIP_AWAIT = "pulumi.com/skipAwait";
    const annotations = (r: PlannedResource) => ((r.inputs.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {});
    /** The inputs with the hibernated plan's skipAwait annotation taken out. */
    const withoutSkipAwait = (r: PlannedResource) => {
        const metadata = r.inputs.metadata as { annotations?: Record<string, string> } | undefined;
        if (metadata?.annotations?.[SKIP_AWAIT] === undefined) return r.inputs;
        const { [SKIP_AWAIT]: _skip, ...rest } = metadata.annotations;
        return { ...r.inputs, metadata: { ...metadata, annotations: rest } };
    };

    it("changes nothing that stays but dev's node groups' scalingConfig, which EKS updates in place (UpdateNodegroupConfig)", () => {
        // https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateNodegroupConfig.html takes scalingConfig: no replacement.
        for (const stack of stackNames(undefined, "dev")) {
            const running = byUrn(plan(stack, "running"));
            for (const mode of ["hibernated", "waking"]) {
                const changed = plan(stack, mode).resources.filter((r) => running.has(r.urn)).flatMap((r) => {
                    const before = running.get(r.urn)!.inputs;
                    const after = withoutSkipAwait(r);
                    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
                    return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => `${r.type}.${k}`);
                });
                const allowed = stack === "dev" ? (mode === "hibernated" ? ["aws:iam/rolePolicy:RolePolicy.policy", "aws:eks/nodeGroup:NodeGroup.scalingConfig",
                    "kubernetes:helm.sh/v3:Release.atomic", "kubernetes:helm.sh/v3:Release.values", "kubernetes:helm.sh/v3:Release.skipAwait"] : [])
                    : mode === "hibernated" ? ["azure-native:containerservice:AgentPool.powerState"] : [];
                assert.deepStrictEqual([...new Set(changed)], allowed, `${stack} ${mode}`);
            }
        }
    });

    it("protects dev's ALB Ingress only when hibernated, so a person's destroy of that state with a preview is refused before it deletes anything", () => {
        // The load balancer controller's finalizer holds the Ingress until its pods delete the ALB
        // (kubernetes-sigs/aws-load-balancer-controller#1629); at zero nodes they cannot run, and the destroy would hang and
        // leak the ALB. Pulumi refuses a protected resource's delete in the destroy's preview (pulumi/pulumi#8158);
        // a --skip-preview destroy deletes the rest first (pulumi/pulumi#18396), which the scheduler refuses (scheduler/hibernate.test.ts).
        // `pulumi up` first wakes the stack (the nodes back, the protection off), then the destroy deletes the ALB.
        for (const [stack, mode, protect] of [["dev", "hibernated", true], ["dev", "waking", false], ["dev", "running", false], ["dev-azure", "hibernated", false]] as const) {
            const ingresses = ofType(plan(stack, mode), "kubernetes:networking.k8s.io/v1:Ingress");
            assert.strictEqual(ingresses.length, 1, `${stack} ${mode}`);
            assert.strictEqual(ingresses[0].options.protect, protect, `${stack} ${mode}`);
            assert.strictEqual(annotations(ingresses[0])[SKIP_AWAIT], undefined, `${stack} ${mode}: a skipped await would let the delete leak the ALB`);
        }
    });

    it("applies the day's change to dev's Deployments and Services without awaiting pods when hibernated (no node will run them), and awaits again when waking", async function () {
        // The hibernate up is the first after the day's merges; the provider awaits a Deployment's rollout and a Service's
        // endpoints (10 min, https://www.pulumi.com/registry/packages/kubernetes/api-docs/apps/v1/deployment/), which
        // with the node groups at zero never come: pulumi.com/skipAwait "true" skips it (pulumi/pulumi-kubernetes#417).
        this.timeout(120_000);
        const merged = { ...stackSection("dev", "services"), imageTag: "2.0.0-merged" };
        const night = await planStack("dev", undefined, undefined, {
            "intergalactic:schedule": JSON.stringify({ ...stackSection("dev", "schedule"), mode: "hibernated" }),
            "intergalactic:services": JSON.stringify(merged),
        });
        const before = byUrn(plan("dev", "running"));
        const awaiting = ["kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service"];
        const changed = night.resources.filter((r) => awaiting.includes(r.type))
            .filter((r) => JSON.stringify(before.get(r.urn)?.inputs) !== JSON.stringify(withoutSkipAwait(r)));
        assert.ok(changed.filter((r) => r.type === awaiting[0]).length >= 5, "the merge changes every Deployment");
        for (const r of changed) assert.strictEqual(annotations(r)[SKIP_AWAIT], "true", `the hibernate would await ${r.type} ${r.name} with no nodes`);
        for (const mode of ["running", "waking"]) {
            for (const r of plan("dev", mode).resources) assert.strictEqual(annotations(r)[SKIP_AWAIT], undefined, `${mode} ${r.type} ${r.name}`);
        }
    });

    it("makes dev's wake-up wait for the load balancer controller's pods before the services' objects (its webhooks fail closed)", () => {
        // The controller's Service/Pod webhooks have failure policy Fail (kubernetes-sigs/aws-load-balancer-controller#4140):
        // a wake-up that also applies a day's Service or Ingress change is rejected until its pods run again. The
        // hibernated plan changes the release (a pod annotation, without await: no node runs its pods), so the wake-up is
        // an upgrade, atomic, which waits for the pods (https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/),
        // and the services' objects are gated on it.
        const controller = (mode: string) => ofType(plan("dev", mode), "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "aws-load-balancer-controller")!;
        const [asleep, woken, up] = [controller("hibernated"), controller("waking"), controller("running")];
        assert.deepStrictEqual(woken.inputs, up.inputs);
        assert.notDeepStrictEqual(asleep.inputs, woken.inputs, "the wake-up must upgrade the release");
        assert.deepStrictEqual([asleep.inputs.atomic, asleep.inputs.skipAwait], [false, true], "the hibernate must not wait for pods no node runs");
        assert.deepStrictEqual([woken.inputs.atomic, woken.inputs.skipAwait ?? false], [true, false], "the wake-up waits for the controller's pods");
        const graph = new DependencyGraph(plan("dev", "waking"));
        for (const d of ofType(plan("dev", "waking"), "kubernetes:apps/v1:Deployment")) assert.ok(graph.dependsOn(d.urn, woken.urn), d.name);
    });

    it("takes the cluster autoscaler's scale-up away before dev's node groups go to zero, and gives it back when waking", () => {
        // The autoscaler grows a group from 0 for pending pods (kubernetes/autoscaler#4439), as the drain's evicted pods
        // are, through autoscaling:SetDesiredCapacity (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md).
        for (const [mode, scaleUp] of [["hibernated", false], ["waking", true], ["running", true]] as const) {
            const p = plan("dev", mode);
            const policies = ofType(p, "aws:iam/rolePolicy:RolePolicy").filter((r) => JSON.stringify(r.inputs.policy).includes("TerminateInstanceInAutoScalingGroup"));
            assert.strictEqual(policies.length, 1, mode);
            assert.strictEqual(JSON.stringify(policies[0].inputs.policy).includes("autoscaling:SetDesiredCapacity"), scaleUp, `${mode}: the autoscaler may scale up`);
            for (const g of ofType(p, "aws:eks/nodeGroup:NodeGroup")) {
                assert.strictEqual(g.dependencies.includes(policies[0].urn), !scaleUp, `${mode}: ${g.name} waits for the autoscaler's policy`);
            }
        }
    });

    it("stops dev-azure's last user pool (count kept) and keeps the others running, keeps its NAT gateway (AKS egress) and system pools, and removes the Azure Bastion", () => {
        // A stopped pool stops its VMs and accrues no compute charges; system pools cannot be stopped
        // (https://learn.microsoft.com/azure/aks/start-stop-nodepools). AKS runs one agent pool operation at a time
        // (cilium/cilium#25944), so each stopped pool is one more start in turn on the wake-up: one fits in 10 minutes.
        const running = plan("dev-azure", "running");
        const hibernated = plan("dev-azure", "hibernated");
        const kept = byUrn(hibernated);
        const removed = running.resources.filter((r) => r.custom && r.type !== "pulumi:pulumi:StackReference" && !kept.has(r.urn)).map((r) => r.type);
        assert.deepStrictEqual([...new Set(removed)].sort(), ["azure-native:network:BastionHost", "azure-native:network:PublicIPAddress"]);
        const pools = (p: Plan) => ofType(p, "azure-native:containerservice:AgentPool");
        assert.strictEqual(pools(hibernated).length, 3);
        for (const [mode, power] of [["hibernated", ["Running", "Running", "Stopped"]], ["waking", ["Running", "Running", "Running"]], ["running", ["Running", "Running", "Running"]]] as const) {
            assert.deepStrictEqual(pools(plan("dev-azure", mode)).map((p) => p.name), ["cluster-nodes-z1", "cluster-nodes-z2", "cluster-nodes-z3"]);
            for (const [i, pool] of pools(plan("dev-azure", mode)).entries()) {
                assert.deepStrictEqual((pool.inputs.powerState as { code?: string } | undefined)?.code, power[i], `${mode} ${pool.name}`);
                assert.strictEqual(pool.inputs.count, byUrn(running).get(pool.urn)?.inputs.count, `${mode} ${pool.name} keeps its count`);
            }
        }
        const system = ofType(hibernated, "azure-native:containerservice:ManagedCluster")[0];
        assert.deepStrictEqual(system.inputs, byUrn(running).get(system.urn)?.inputs, "the system pools run on");
        assert.strictEqual(ofType(hibernated, "azure-native:network:NatGateway").length, 1);
        // The running plan starts stopped pools itself: no self-reference, no nodeGroupsAtZero.
        assert.deepStrictEqual([hibernated.stackOutputs.nodeGroupsAtZero, ofType(running, "pulumi:pulumi:StackReference").length], [undefined, 0]);
    });

    it("starts dev-azure's user pools on a person's plain up over the hibernated state, and the first running up after a wake-up changes no pool", () => {
        // The running plan sends Running as waking does: leaving the input out would be an update of every pool on the
        // next running up (pulumi/pulumi-azure-native#2507), and nothing else would start stopped pools.
        const running = byUrn(plan("dev-azure", "running"));
        for (const pool of ofType(plan("dev-azure", "waking"), "azure-native:containerservice:AgentPool")) {
            assert.deepStrictEqual(pool.inputs, running.get(pool.urn)?.inputs, pool.name);
            assert.deepStrictEqual(pool.inputs.powerState, { code: "Running" }, pool.name);
        }
    });

    for (const stack of stackNames(undefined, "dev")) {
        it(`leaves every data resource of ${stack} as it is in the hibernated and waking plans (no update, so no replacement)`, () => {
            const running = plan(stack, "running");
            const stores = running.resources.filter((r) => DATA_TYPES.includes(r.type));
            assert.ok(stores.length >= 6, `${stack} has data resources`);
            for (const mode of ["hibernated", "waking"]) {
                const other = byUrn(plan(stack, mode));
                for (const r of stores) {
                    const same = other.get(r.urn);
                    assert.ok(same, `${mode} removes ${r.type} ${r.name}`);
                    assert.deepStrictEqual(same.inputs, r.inputs, `${mode} changes ${r.type} ${r.name}`);
                    assert.deepStrictEqual(same.options, r.options, `${mode} changes the options of ${r.type} ${r.name}`);
                }
            }
        });

        it(`keeps ${stack}'s hibernated and waking plans deployable`, () => {
            for (const mode of ["hibernated", "waking"]) {
                const report = analyzeDeployability(plan(stack, mode));
                assert.deepStrictEqual(report.findings.map((f) => `${f.type} ${f.name}: ${f.gate} ${f.missing}`), [], `${stack} ${mode}`);
            }
        });
    }

    it("changes only the final snapshot names of dev's stores between a hibernate and a wake-up, which the scheduler names per run", async function () {
        // Each scheduler up sets its own finalSnapshotSuffix (scheduler/snapshots.ts); the preview guard refuses a replace at run time.
        this.timeout(120_000);
        const night = byUrn(await planInMode("dev", "hibernated", "up-20261130t1900z"));
        const morning = await planInMode("dev", "waking", "up-20261201t0610z");
        const changed = morning.resources.filter((r) => DATA_TYPES.includes(r.type) && night.has(r.urn)).flatMap((r) => {
            const before = night.get(r.urn)!.inputs;
            return Object.keys({ ...before, ...r.inputs }).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(r.inputs[k])).map((k) => `${r.type}.${k}`);
        });
        assert.deepStrictEqual([...new Set(changed)].sort(), ["aws:docdb/cluster:Cluster.finalSnapshotIdentifier", "aws:elasticache/replicationGroup:ReplicationGroup.finalSnapshotIdentifier"]);
    });

    it("refuses a mode on a stack that is not schedulable, naming the key", async function () {
        this.timeout(60_000);
        const message = await planError("prod", { "intergalactic:schedule": { ...stackSection("prod", "schedule"), mode: "hibernated" } });
        assert.match(message, /intergalactic:schedule\.mode: "hibernated" is only for a schedulable stack/);
        assert.match(await planError("dev", { "intergalactic:schedule": { ...stackSection("dev", "schedule"), mode: "asleep" } }),
            /intergalactic:schedule\.mode: "asleep" is not allowed: use one of running, hibernated, waking/);
    });
});
