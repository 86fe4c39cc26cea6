import * as assert from "assert";
import * as fc from "fast-check";
import { Cloud } from "../common/cloud";
import { InvalidArgumentsError } from "../common/validation";
import { ClusterPlanInput, planCluster } from "./clusterPlan";
import {
    AKS_POOL_NAME, CLUSTER_AUTOSCALER_IMAGE_TAGS, ClusterDefaults, EKS_CLUSTER_NAME_MAX, EKS_NAME_SUFFIX_LENGTH, KUBERNETES_SUPPORT_ENDS, MAX_NODES_PER_GROUP, NODE_MACHINES,
} from "./layout";

const AWS_ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const CIDRS = ["10.0.0.0/20", "10.0.32.0/20", "10.0.64.0/20"];
/** Version support is judged against a day; the tables below are for this one unless a test says otherwise. */
const TODAY = "2026-12-01";
const aws = (extra: Partial<ClusterPlanInput> = {}): ClusterPlanInput => ({ cloud: "aws", zones: AWS_ZONES, subnetCount: 3, subnetCidrs: CIDRS, today: TODAY, ...extra });
const azure = (extra: Partial<ClusterPlanInput> = {}): ClusterPlanInput => ({ cloud: "azure", zones: ["1", "2", "3"], subnetCount: 3, subnetCidrs: CIDRS, today: TODAY, ...extra });

function problemsOf(input: ClusterPlanInput, name = "cluster"): string {
    try {
        planCluster(name, input);
    } catch (err) {
        assert.ok(err instanceof InvalidArgumentsError, `expected InvalidArgumentsError, got ${err}`);
        return err.message;
    }
    assert.fail("expected the plan to be rejected");
}

describe("planCluster", () => {
    it("plans the app node groups at zero nodes when hibernated, with the plan's counts otherwise", () => {
        const sizes = (nodeCounts?: string) => planCluster("cluster", aws({ minNodesPerZone: 2, maxNodesPerZone: 4, nodeCounts })).nodeGroups
            .map((g) => [g.minSize, g.desiredSize, g.maxSize]);
        assert.deepStrictEqual(sizes("zero"), [[0, 0, 4], [0, 0, 4], [0, 0, 4]]);
        assert.deepStrictEqual(sizes("reset"), [[2, 2, 4], [2, 2, 4], [2, 2, 4]]);
        assert.deepStrictEqual(sizes(undefined), sizes("autoscaled"));
        assert.strictEqual(planCluster("cluster", aws()).nodeCounts, "autoscaled");
    });

    it("refuses node counts other than autoscaled on Azure, and an unknown value, naming nodeCounts", () => {
        assert.match(problemsOf(azure({ nodeCounts: "zero" })), /nodeCounts: "zero" applies to AWS only: AKS user pools are stopped instead \(azure.userPoolPower/);
        assert.match(problemsOf(aws({ nodeCounts: "off" })), /nodeCounts: "off" is not allowed: use one of autoscaled, zero, reset/);
    });

    it("plans the AKS user pools stopped or started when asked, keeping their counts, and refuses it on AWS or an unknown value", () => {
        // A stopped pool stops its VMs and bills no compute; system pools cannot be stopped (learn.microsoft.com/azure/aks/start-stop-nodepools).
        const stopped = planCluster("cluster", azure({ userPoolPower: "Stopped" }));
        assert.strictEqual(stopped.userPoolPower, "Stopped");
        const counts = (groups: readonly { minSize: number; desiredSize: number; maxSize: number }[]) => groups.map((g) => [g.minSize, g.desiredSize, g.maxSize]);
        assert.deepStrictEqual(counts(stopped.nodeGroups), counts(planCluster("cluster", azure()).nodeGroups));
        assert.deepStrictEqual(stopped.nodeGroups.map((g) => g.power), ["Stopped", "Stopped", "Stopped"]);
        assert.deepStrictEqual(planCluster("cluster", azure({ userPoolPower: "Running" })).nodeGroups.map((g) => g.power), ["Running", "Running", "Running"]);
        assert.strictEqual(planCluster("cluster", azure()).userPoolPower, undefined);
        assert.deepStrictEqual(planCluster("cluster", azure()).nodeGroups.map((g) => g.power), [undefined, undefined, undefined]);
        assert.match(problemsOf(azure({ userPoolPower: "Paused" })), /userPoolPower: "Paused" is not allowed: use one of Running, Stopped/);
        assert.match(problemsOf(aws({ userPoolPower: "Stopped" })), /userPoolPower: "Stopped" applies to Azure only/);
    });

    it("stops only the last stoppedUserPools user pools and keeps the others running, and refuses it without Stopped, out of range or on AWS", () => {
        // AKS runs one agent pool operation at a time (cilium/cilium#25944): each stopped pool is one more start, in turn, on the wake-up.
        const power = (extra: Partial<ClusterPlanInput>) => planCluster("cluster", azure(extra)).nodeGroups.map((g) => [g.zone, g.power]);
        assert.deepStrictEqual(power({ userPoolPower: "Stopped", stoppedUserPools: 1 }), [["1", "Running"], ["2", "Running"], ["3", "Stopped"]]);
        assert.deepStrictEqual(power({ userPoolPower: "Stopped", stoppedUserPools: 3 }), power({ userPoolPower: "Stopped" }));
        assert.match(problemsOf(azure({ userPoolPower: "Running", stoppedUserPools: 1 })), /stoppedUserPools: 1 applies only with userPoolPower Stopped \(it is Running\)/);
        assert.match(problemsOf(azure({ stoppedUserPools: 1 })), /stoppedUserPools: 1 applies only with userPoolPower Stopped \(it is not set\)/);
        assert.match(problemsOf(azure({ userPoolPower: "Stopped", stoppedUserPools: 4 })), /stoppedUserPools: 4 /);
        assert.match(problemsOf(azure({ userPoolPower: "Stopped", stoppedUserPools: 0 })), /stoppedUserPools: 0 /);
    });

    it("defaults to a Kubernetes version both clouds support today, with a Cluster Autoscaler release for EKS", () => {
        // Fails on the day the default leaves standard support on either cloud: then move the default on.
        const today = new Date().toISOString().slice(0, 10);
        for (const cloud of [Cloud.Aws, Cloud.Azure]) {
            const ends = KUBERNETES_SUPPORT_ENDS[cloud][ClusterDefaults.kubernetesVersion];
            assert.ok(ends !== undefined && ends >= today, `${cloud}: ${ClusterDefaults.kubernetesVersion} is out of standard support (${ends})`);
        }
        assert.ok(CLUSTER_AUTOSCALER_IMAGE_TAGS[ClusterDefaults.kubernetesVersion]);
        assert.doesNotThrow(() => planCluster("cluster", { ...aws(), today: undefined }));
    });

    it("warns, without refusing, for a version past or near its end of standard support", () => {
        assert.deepStrictEqual(planCluster("cluster", azure({ kubernetesVersion: "1.34" })).warnings, [
            'kubernetesVersion: "1.34" left AKS standard support on 2026-11-30: AKS then creates no new cluster on it and supports existing ones only on the platform level; move to one of 1.35, 1.36, 1.37',
        ]);
        assert.match(planCluster("cluster", aws({ kubernetesVersion: "1.34", today: "2026-12-03" })).warnings.join(),
            /"1.34" left EKS standard support on 2026-12-02: EKS then upgrades the cluster to the next version itself .*; move to one of 1.35$/);
        assert.match(planCluster("cluster", aws({ kubernetesVersion: "1.34" })).warnings.join(), /"1.34" leaves EKS standard support on 2026-12-02: .* before then$/);
        assert.deepStrictEqual(planCluster("cluster", aws({ kubernetesVersion: "1.35" })).warnings, []);
        assert.strictEqual(planCluster("cluster", aws({ kubernetesVersion: "1.35", today: "2027-01-26" })).warnings.length, 1, "60 days before the end");
    });

    it("refuses an EKS version with no known Cluster Autoscaler release", () => {
        const saved = CLUSTER_AUTOSCALER_IMAGE_TAGS["1.35"];
        const tags = CLUSTER_AUTOSCALER_IMAGE_TAGS as Record<string, string>;
        delete tags["1.35"];
        try {
            assert.match(problemsOf(aws({ kubernetesVersion: "1.35" })), /kubernetesVersion: "1.35" has no known Cluster Autoscaler release/);
            assert.doesNotThrow(() => planCluster("cluster", azure({ kubernetesVersion: "1.35" })));
        } finally {
            tags["1.35"] = saved;
        }
    });

    it("plans one node group per zone, each in its own zone's subnet, with the default scaling bounds", () => {
        const plan = planCluster("cluster", aws());
        assert.deepStrictEqual(plan.nodeGroups.map((g) => [g.name, g.zone, g.subnetIndex, g.minSize, g.desiredSize, g.maxSize]), [
            ["cluster-nodes-a", "us-east-1a", 0, 1, 1, 5],
            ["cluster-nodes-b", "us-east-1b", 1, 1, 1, 5],
            ["cluster-nodes-c", "us-east-1c", 2, 1, 1, 5],
        ]);
        assert.deepStrictEqual(plan.systemPools, []);
        assert.strictEqual(plan.kubernetesVersion, "1.35");
        assert.strictEqual(plan.machineType, "m6i.xlarge");
        assert.deepStrictEqual(plan.publicEndpointCidrs, []);
    });

    it("gives Azure a system pool and a user pool per zone with valid pool names", () => {
        const plan = planCluster("cluster", azure({ minNodesPerZone: 0, maxNodesPerZone: 10 }));
        assert.deepStrictEqual(plan.nodeGroups.map((g) => [g.poolName, g.zone, g.minSize, g.desiredSize, g.maxSize]), [
            ["appz1", "1", 0, 1, 10], ["appz2", "2", 0, 1, 10], ["appz3", "3", 0, 1, 10],
        ]);
        assert.deepStrictEqual(plan.systemPools.map((g) => [g.poolName, g.zone, g.minSize, g.maxSize]), [
            ["sysz1", "1", 1, 3], ["sysz2", "2", 1, 3], ["sysz3", "3", 1, 3],
        ]);
        for (const pool of [...plan.nodeGroups, ...plan.systemPools]) assert.match(pool.poolName, AKS_POOL_NAME);
    });

    it("maps each size to one machine per cloud from the size table", () => {
        for (const size of ["small", "medium", "large"] as const) {
            assert.strictEqual(planCluster("cluster", aws({ nodeSize: size })).machineType, NODE_MACHINES.aws[size]);
            assert.strictEqual(planCluster("cluster", azure({ nodeSize: size })).machineType, NODE_MACHINES.azure[size]);
        }
    });

    it("keeps desired between min and max for any valid scaling bounds", () => {
        fc.assert(fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 }), (a, b) => {
            const [min, max] = [Math.min(a, b), Math.max(a, b)];
            for (const group of planCluster("cluster", aws({ minNodesPerZone: min, maxNodesPerZone: max })).nodeGroups) {
                assert.ok(group.minSize <= group.desiredSize && group.desiredSize <= group.maxSize && group.desiredSize >= 1);
            }
        }));
    });

    it("accepts the most nodes each cloud allows: an EKS group's quota, and on AKS as many as the overlay pod range has /24 blocks for", () => {
        planCluster("cluster", aws({ maxNodesPerZone: MAX_NODES_PER_GROUP.aws }));
        // 3 user pools of 80 + 1 surge and 3 system pools of 3 + 1 surge: 255 of the pod range's 256 blocks.
        planCluster("cluster", azure({ maxNodesPerZone: 80 }));
        assert.throws(() => planCluster("cluster", azure({ maxNodesPerZone: 81 })), /allows 258 nodes, but the overlay pod range/);
    });

    it("lists public endpoint ranges when they are public and specific", () => {
        assert.deepStrictEqual(planCluster("cluster", aws({ publicEndpointCidrs: ["203.0.113.0/24"] })).publicEndpointCidrs, ["203.0.113.0/24"]);
    });

    describe("rejects bad input with the arg, the value and the rule", () => {
        const cases: [string, ClusterPlanInput, RegExp][] = [
            ["an unknown cloud", aws({ cloud: "gcp" }), /cloud: "gcp" is not a supported cloud: use one of aws, azure/],
            ["a single zone", aws({ zones: ["us-east-1a"], subnetCount: 1, subnetCidrs: ["10.0.0.0/20"] }), /zones: \["us-east-1a"\] must list at least 2 zones/],
            ["a repeated zone", aws({ zones: ["us-east-1a", "us-east-1a", "us-east-1c"] }), /zones: .* must be distinct, non-empty zone names/],
            ["a zone Azure does not have", azure({ zones: ["1", "2", "4"] }), /zones: \["1","2","4"\] are not Azure zones: use a subset of 1, 2, 3/],
            ["fewer subnets than zones", aws({ subnetCount: 2 }), /subnets: "2 subnets" must hold exactly one app subnet per zone \(3 zones\)/],
            ["fewer subnet ranges than zones", aws({ subnetCidrs: CIDRS.slice(0, 2) }), /subnets: .* must hold the range of each app subnet, one per zone \(3 zones\)/],
            ["a malformed subnet range", aws({ subnetCidrs: ["10.0.0.0/20", "10.0.32/20", "10.0.64.0/20"] }), /subnets\[1\].cidr: "10.0.32\/20" is not an IPv4 CIDR/],
            ["a subnet inside the service range", aws({ subnetCidrs: ["10.0.0.0/20", "10.0.32.0/20", "172.20.0.0/20"] }), /subnets\[2\].cidr: "172.20.0.0\/20" overlaps the Kubernetes service range 172.20.0.0\/16/],
            ["a patch version", aws({ kubernetesVersion: "1.34.2" }), /kubernetesVersion: "1.34.2" must be a minor version such as 1.35/],
            ["a version with a v", aws({ kubernetesVersion: "v1.34" }), /kubernetesVersion: "v1.34" must be a minor version/],
            ["a retired version", aws({ kubernetesVersion: "1.27" }), /kubernetesVersion: "1.27" is not a version EKS offers: use one of 1.34, 1.35/],
            ["a version EKS does not offer yet", aws({ kubernetesVersion: "1.37" }), /kubernetesVersion: "1.37" is not a version EKS offers/],
            ["an unknown size", aws({ nodeSize: "huge" }), /nodeSize: "huge" is not allowed: use one of small, medium, large/],
            ["a negative minimum", aws({ minNodesPerZone: -1 }), /minNodesPerZone: -1 must be an integer from 0 to 450/],
            ["a fractional minimum", aws({ minNodesPerZone: 1.5 }), /minNodesPerZone: 1.5 must be an integer/],
            ["a zero maximum", aws({ minNodesPerZone: 0, maxNodesPerZone: 0 }), /maxNodesPerZone: 0 must be an integer from 1 to 450 \(the most nodes one EKS managed node group may hold\)/],
            ["more nodes than an EKS node group holds", aws({ maxNodesPerZone: 451 }), /maxNodesPerZone: 451 must be an integer from 1 to 450/],
            ["more nodes than an AKS pool holds", azure({ maxNodesPerZone: 1001 }), /maxNodesPerZone: 1001 must be an integer from 1 to 1000 \(the most nodes one AKS node pool may hold\)/],
            ["a minimum above the maximum", aws({ minNodesPerZone: 6, maxNodesPerZone: 5 }), /minNodesPerZone: 6 must not exceed maxNodesPerZone \(5\)/],
            ["an API server open to the internet", aws({ publicEndpointCidrs: ["0.0.0.0/0"] }), /publicEndpointCidrs\[0\]: "0.0.0.0\/0" opens the API server to the whole internet/],
            ["a private range for the public endpoint", azure({ publicEndpointCidrs: ["203.0.113.0/24", "10.0.0.0/8"] }), /publicEndpointCidrs\[1\]: "10.0.0.0\/8" is private address space/],
            ["a public range for the private endpoint", aws({ privateEndpointCidrs: ["10.20.0.0/16", "198.51.100.0/24"] }), /privateEndpointCidrs\[1\]: "198.51.100.0\/24" is not private address space/],
            ["a malformed private endpoint range", aws({ privateEndpointCidrs: ["10.20.0.0"] }), /privateEndpointCidrs\[0\]: "10.20.0.0" is not an IPv4 CIDR/],
            ["a repeated private endpoint range (one rule name, so one URN twice)", aws({ privateEndpointCidrs: ["10.20.0.0/20", "10.20.16.0/20", "10.20.0.0/20"] }), /privateEndpointCidrs\[2\]: "10.20.0.0\/20" is listed twice \(also privateEndpointCidrs\[0\]\)/],
            ["a malformed endpoint range", aws({ publicEndpointCidrs: ["203.0.113.0"] }), /publicEndpointCidrs\[0\]: "203.0.113.0" is not an IPv4 CIDR/],
            ["more endpoint ranges than EKS accepts", aws({ publicEndpointCidrs: Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`) }), /publicEndpointCidrs: "41 ranges" exceeds the 40 ranges aws accepts/],
            ["more overlay nodes than the pod range holds", azure({ maxNodesPerZone: 200 }), /maxNodesPerZone: 200 allows 615 nodes, but the overlay pod range 10.244.0.0\/16 holds a \/24 for only 256: lower maxNodesPerZone/],
            ["a log retention CloudWatch does not offer", aws({ logRetentionDays: 10 }), /logRetentionDays: 10 is not a CloudWatch Logs retention period/],
            ["an MTU above the VPC CNI's range", aws({ networkMtu: 9100 }), /networkMtu: 9100 must be a whole number from 576 to 9001 \(the VPC CNI's AWS_VPC_ENI_MTU range\)/],
            ["an MTU below the VPC CNI's range", aws({ networkMtu: 500 }), /networkMtu: 500 must be a whole number from 576 to 9001/],
            ["a fractional MTU", aws({ networkMtu: 8500.5 }), /networkMtu: 8500.5 must be a whole number/],
        ];
        for (const [what, input, message] of cases) {
            it(`rejects ${what}`, () => assert.match(problemsOf(input), message));
        }

        it("rejects a name that cannot start a DNS name", () => {
            assert.match(problemsOf(aws(), "1st"), /name: "1st" must start with a letter/);
        });

        it("reports every problem at once", () => {
            const message = problemsOf(aws({ kubernetesVersion: "latest", nodeSize: "xl", minNodesPerZone: 9, maxNodesPerZone: 3, publicEndpointCidrs: ["0.0.0.0/0"] }));
            for (const arg of ["kubernetesVersion", "nodeSize", "minNodesPerZone", "publicEndpointCidrs[0]"]) assert.match(message, new RegExp(`- ${arg.replace(/[[\]]/g, "\\$&")}:`));
        });
    });

    it("accepts only lowercase alphanumeric AKS pool names of at most 12 characters starting with a letter", () => {
        for (const ok of ["appz1", "sysz3", "a", "abcdefghijkl"]) assert.match(ok, AKS_POOL_NAME);
        for (const bad of ["App1", "1app", "app-z1", "abcdefghijklm", ""]) assert.doesNotMatch(bad, AKS_POOL_NAME);
    });
});

describe("the EKS cluster name", () => {
    it("fits EKS's 100-character limit with its random suffix, whatever the component is called", () => {
        fc.assert(fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,150}$/), (name) => {
            const plan = planCluster(name, aws());
            return `${plan.baseName}-`.length + EKS_NAME_SUFFIX_LENGTH <= EKS_CLUSTER_NAME_MAX;
        }));
    });
});
