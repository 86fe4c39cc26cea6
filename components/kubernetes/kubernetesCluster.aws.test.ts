import * as assert from "assert";
import { Plan, PlannedResource } from "../../engine/format";
import { named, ofType, planFailure, planSnippet } from "../../engine/testing/plan";
import { KubernetesCluster, KubernetesClusterArgs } from "./kubernetesCluster";
import { factsOfPlan } from "../network/facts";
import { planNetwork } from "../network/networkPlan";

const SUBNETS = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb", "subnet-0cccccccccccccccc"];
const APP_SUBNET = /^net-app-([abc])$/;
const NETWORK = factsOfPlan(planNetwork("net", { cloud: "aws", cidrBlock: "10.10.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] }), {
    networkId: "vpc-0123456789abcdef0",
    subnetId: (name) => APP_SUBNET.test(name) ? SUBNETS["abc".indexOf(APP_SUBNET.exec(name)![1])] : `subnet-${name}`,
});
const args = (extra: Partial<KubernetesClusterArgs> = {}): KubernetesClusterArgs => ({
    cloud: "aws", network: NETWORK, minNodesPerZone: 2, maxNodesPerZone: 8, tags: { team: "platform" }, ...extra,
});

const CLUSTER = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const ADDON = "aws:eks/addon:Addon";
const ROLE = "aws:iam/role:Role";
const RELEASE = "kubernetes:helm.sh/v3:Release";

type Statement = { Principal: { Federated: string }; Condition: { StringEquals: Record<string, string> } };
const trustOf = (role: PlannedResource): Statement => JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0];

describe("KubernetesCluster on AWS", () => {
    let plan: Plan;
    before(async () => {
        plan = await planSnippet(() => new KubernetesCluster("cluster", args()));
    });

    it("runs one managed node group per zone, each only in its zone's app subnet, autoscaling between min and max", () => {
        const groups = ofType(plan, NODE_GROUP);
        assert.deepStrictEqual(groups.map((g) => [g.name, g.inputs.subnetIds]), [
            ["cluster-nodes-a", [SUBNETS[0]]], ["cluster-nodes-b", [SUBNETS[1]]], ["cluster-nodes-c", [SUBNETS[2]]],
        ]);
        for (const group of groups) {
            assert.deepStrictEqual(group.inputs.scalingConfig, { minSize: 2, desiredSize: 2, maxSize: 8 });
            assert.deepStrictEqual(group.options.ignoreChanges, ["scalingConfig.desiredSize"]);
            assert.deepStrictEqual(group.inputs.instanceTypes, ["m6i.xlarge"]);
            assert.strictEqual(group.inputs.amiType, "AL2023_x86_64_STANDARD");
            assert.strictEqual(group.inputs.version, "1.35");
        }
    });

    it("launches workers with IMDSv2 only, a hop limit that keeps pods off the node role, and encrypted volumes", () => {
        const template = named(plan, "aws:ec2/launchTemplate:LaunchTemplate", "cluster-nodes");
        assert.deepStrictEqual(template.inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        const [root] = template.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[];
        assert.strictEqual(root.ebs.encrypted, "true");
        assert.strictEqual(root.ebs.volumeType, "gp3");
        for (const group of ofType(plan, NODE_GROUP)) {
            assert.deepStrictEqual(group.inputs.launchTemplate, { id: template.id, version: "1" });
        }
    });

    it("logs every control-plane log type into a group with a retention period", () => {
        const cluster = named(plan, CLUSTER, "cluster-eks");
        assert.deepStrictEqual(cluster.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        const logs = named(plan, "aws:cloudwatch/logGroup:LogGroup", "cluster-control-plane-logs");
        assert.strictEqual(logs.inputs.name, `/aws/eks/${cluster.inputs.name}/cluster`);
        assert.strictEqual(logs.inputs.retentionInDays, 90);
        assert.ok(cluster.dependencies.includes(logs.urn), "the log group exists before EKS would create its own");
    });

    it("encrypts secrets with a rotating KMS key the cluster role may use", () => {
        const key = named(plan, "aws:kms/key:Key", "cluster-secrets-key");
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        const cluster = named(plan, CLUSTER, "cluster-eks");
        assert.deepStrictEqual(cluster.inputs.encryptionConfig, { provider: { keyArn: key.outputs.arn }, resources: ["secrets"] });
        const kms = JSON.parse(named(plan, "aws:iam/rolePolicy:RolePolicy", "cluster-cluster-kms").inputs.policy as string);
        assert.strictEqual(kms.Statement[0].Resource, key.outputs.arn);
    });

    it("keeps the API endpoint private by default and authenticates through access entries", () => {
        const cluster = named(plan, CLUSTER, "cluster-eks");
        const vpc = cluster.inputs.vpcConfig as Record<string, unknown>;
        assert.strictEqual(vpc.endpointPrivateAccess, true);
        assert.strictEqual(vpc.endpointPublicAccess, false);
        assert.strictEqual(vpc.publicAccessCidrs, undefined);
        assert.deepStrictEqual(vpc.subnetIds, SUBNETS);
        assert.deepStrictEqual(cluster.inputs.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
        assert.strictEqual(cluster.inputs.version, "1.35");
        assert.deepStrictEqual(cluster.inputs.upgradePolicy, { supportType: "STANDARD" });
    });

    it("never drops Kubernetes objects from state when the API is out of reach, so a destroy cannot leak the ALB", () => {
        const providers = ofType(plan, "pulumi:providers:kubernetes");
        assert.ok(providers.length > 0);
        // Unset (not false) leaves PULUMI_K8S_DELETE_UNREACHABLE as the deliberate way out for a cluster deleted outside Pulumi.
        for (const provider of providers) assert.strictEqual(provider.inputs.deleteUnreachable, undefined, provider.name);
    });

    it("opens the public endpoint only to the listed ranges", async () => {
        const restricted = await planSnippet(() => new KubernetesCluster("cluster", args({ publicEndpointCidrs: ["203.0.113.0/24"] })));
        const vpc = named(restricted, CLUSTER, "cluster-eks").inputs.vpcConfig as Record<string, unknown>;
        assert.strictEqual(vpc.endpointPublicAccess, true);
        assert.strictEqual(vpc.endpointPrivateAccess, true);
        assert.deepStrictEqual(vpc.publicAccessCidrs, ["203.0.113.0/24"]);
    });

    it("admits the listed in-network ranges, and nothing else, to the private endpoint over HTTPS, on the API's own security group", async () => {
        assert.deepStrictEqual(ofType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), []);
        const admitted = await planSnippet(() => new KubernetesCluster("cluster", args({ privateEndpointCidrs: ["10.10.0.0/16"] })));
        const [rule] = ofType(admitted, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        const eks = named(admitted, CLUSTER, "cluster-eks");
        const apiGroup = named(admitted, "aws:ec2/securityGroup:SecurityGroup", "cluster-api");
        assert.deepStrictEqual([rule.name, rule.inputs.securityGroupId, rule.inputs.cidrIpv4, rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort],
            ["cluster-api-from-10-10-0-0-16", apiGroup.id, "10.10.0.0/16", "tcp", 443, 443]);
        // EKS puts the additional group only on the control plane's interfaces; the cluster group, on every node and pod, opens nothing.
        assert.deepStrictEqual((eks.inputs.vpcConfig as { securityGroupIds: string[] }).securityGroupIds, [apiGroup.id]);
        assert.notStrictEqual(rule.inputs.securityGroupId, (eks.outputs.vpcConfig as { clusterSecurityGroupId: string }).clusterSecurityGroupId);
        for (const release of ofType(admitted, RELEASE)) assert.ok(release.dependencies.includes(rule.urn), `${release.name} waits for the deployer's way in`);
    });

    it("gives each declared admin an access entry with the cluster-admin policy, and the creator no implicit admin then", async () => {
        assert.strictEqual((named(plan, CLUSTER, "cluster-eks").inputs.accessConfig as Record<string, unknown>).bootstrapClusterCreatorAdminPermissions, true);
        const arns = ["arn:aws:iam::123456789012:role/ci/deployer", "arn:aws:iam::123456789012:user/alice"];
        const admitted = await planSnippet(() => new KubernetesCluster("cluster", args({ adminPrincipalArns: arns })));
        assert.strictEqual((named(admitted, CLUSTER, "cluster-eks").inputs.accessConfig as Record<string, unknown>).bootstrapClusterCreatorAdminPermissions, false);
        // Force-new in the provider: a cluster keeps what it was created with when admins are declared later.
        for (const p of [plan, admitted]) assert.deepStrictEqual(named(p, CLUSTER, "cluster-eks").options.ignoreChanges, ["accessConfig.bootstrapClusterCreatorAdminPermissions"]);
        const entries = ofType(admitted, "aws:eks/accessEntry:AccessEntry");
        assert.deepStrictEqual(entries.map((e) => [e.name, e.inputs.principalArn, e.inputs.type]),
            [["cluster-admin-123456789012-role-deployer", arns[0], "STANDARD"], ["cluster-admin-123456789012-user-alice", arns[1], "STANDARD"]]);
        const policies = ofType(admitted, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
        assert.deepStrictEqual(policies.map((p) => [p.inputs.principalArn, p.inputs.policyArn, p.inputs.accessScope]),
            arns.map((a) => [a, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", { type: "cluster" }]));
        for (const release of ofType(admitted, RELEASE)) {
            for (const p of policies) assert.ok(release.dependencies.includes(p.urn), `${release.name} waits for ${p.name}`);
        }
    });

    it("rejects an assumed-role session ARN or a repeated admin, and a principal type, naming the arg", async () => {
        const { error } = await planFailure(() => new KubernetesCluster("cluster", args({
            adminPrincipalArns: ["arn:aws:sts::123456789012:assumed-role/deployer/session", "arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/a"],
            deployerPrincipalType: "User",
        })));
        assert.match(error.message, /adminPrincipalArns\[0\]: "arn:aws:sts::123456789012:assumed-role\/deployer\/session" must be an IAM role or user ARN/);
        assert.match(error.message, /adminPrincipalArns: .* must not list a principal twice/);
        assert.match(error.message, /deployerPrincipalType: "User" does nothing on aws \(only azure uses it\)/);
    });

    it("installs the load balancer controller before the cluster autoscaler, whose objects its webhook would reject", () => {
        const controller = named(plan, RELEASE, "cluster-lb-controller");
        assert.ok(named(plan, RELEASE, "cluster-autoscaler").dependencies.includes(controller.urn));
    });

    it("registers the cluster's OIDC issuer with IAM for service-account roles", () => {
        const cluster = named(plan, CLUSTER, "cluster-eks");
        const oidc = named(plan, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "cluster-oidc");
        const issuer = (cluster.outputs.identities as { oidcs: { issuer: string }[] }[])[0].oidcs[0].issuer;
        assert.strictEqual(oidc.inputs.url, issuer);
        assert.deepStrictEqual(oidc.inputs.clientIdLists, ["sts.amazonaws.com"]);
    });

    it("lets only the intended service accounts assume the VPC CNI and load balancer controller roles", () => {
        const oidc = named(plan, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "cluster-oidc");
        const issuer = String(oidc.inputs.url).replace("https://", "");
        for (const [role, subject] of [["cluster-vpc-cni-role", "system:serviceaccount:kube-system:aws-node"],
            ["cluster-lb-controller-role", "system:serviceaccount:kube-system:aws-load-balancer-controller"]]) {
            const trust = trustOf(named(plan, ROLE, role));
            assert.strictEqual(trust.Principal.Federated, oidc.outputs.arn);
            assert.deepStrictEqual(trust.Condition.StringEquals, { [`${issuer}:sub`]: subject, [`${issuer}:aud`]: "sts.amazonaws.com" });
        }
    });

    it("gives the node role no network permissions: the VPC CNI uses its own role", () => {
        const attachments = ofType(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.name);
        assert.ok(attachments.includes("cluster-vpc-cni-role-AmazonEKS_CNI_Policy"));
        assert.ok(!attachments.some((a) => a.startsWith("cluster-node-role") && a.endsWith("CNI_Policy")));
        assert.strictEqual(named(plan, ADDON, "cluster-vpc-cni").inputs.serviceAccountRoleArn, named(plan, ROLE, "cluster-vpc-cni-role").outputs.arn);
    });

    it("leaves the VPC CNI's MTU at its default unless aws.networkMtu is given, then sets AWS_VPC_ENI_MTU", async () => {
        const config = (p: Plan) => JSON.parse(named(p, ADDON, "cluster-vpc-cni").inputs.configurationValues as string);
        assert.deepStrictEqual(config(plan), { enableNetworkPolicy: "true" });
        const lowered = await planSnippet(() => new KubernetesCluster("cluster", args({ aws: { networkMtu: 8500 } })));
        assert.deepStrictEqual(config(lowered), { enableNetworkPolicy: "true", env: { AWS_VPC_ENI_MTU: "8500" } });
    });

    it("refuses aws.networkMtu on Azure, where the VPC CNI does not run, before registering anything", async () => {
        const { error, registered } = await planFailure(() => new KubernetesCluster("cluster", { ...args(), cloud: "azure", aws: { networkMtu: 8500 } }));
        assert.match(error.message, /aws\.networkMtu: 8500 does nothing on azure .*AKS does not run/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });

    it("installs networking add-ons before the nodes and CoreDNS and metrics-server after them", () => {
        assert.deepStrictEqual(ofType(plan, ADDON).map((a) => a.inputs.addonName).sort(),
            ["coredns", "eks-pod-identity-agent", "kube-proxy", "metrics-server", "vpc-cni"]);
        // Each at EKS's default version for the cluster's Kubernetes version.
        for (const addon of ofType(plan, ADDON)) assert.strictEqual(addon.inputs.addonVersion, "v1.35.0-eksbuild.1");
        const urn = (name: string) => named(plan, ADDON, `cluster-${name}`).urn;
        for (const group of ofType(plan, NODE_GROUP)) {
            assert.ok(group.dependencies.includes(urn("vpc-cni")), `${group.name} waits for the VPC CNI`);
        }
        for (const name of ["coredns", "metrics-server"]) {
            const addon = named(plan, ADDON, `cluster-${name}`);
            for (const group of ofType(plan, NODE_GROUP)) assert.ok(addon.dependencies.includes(group.urn), `${name} waits for ${group.name}`);
        }
    });

    it("installs the AWS Load Balancer Controller into kube-system with its IRSA role, through the cluster's provider", () => {
        const release = named(plan, RELEASE, "cluster-lb-controller");
        assert.strictEqual(release.inputs.namespace, "kube-system");
        assert.strictEqual(release.inputs.chart, "aws-load-balancer-controller");
        assert.deepStrictEqual(release.inputs.repositoryOpts, { repo: "https://aws.github.io/eks-charts" });
        const values = release.inputs.values as Record<string, any>;
        assert.strictEqual(values.clusterName, named(plan, CLUSTER, "cluster-eks").inputs.name);
        assert.strictEqual(values.vpcId, "vpc-0123456789abcdef0");
        assert.strictEqual(values.region, "us-east-1");
        assert.strictEqual(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"], named(plan, ROLE, "cluster-lb-controller-role").outputs.arn);
        const provider = named(plan, "pulumi:providers:kubernetes", "cluster-k8s");
        assert.ok(release.options.provider.startsWith(provider.urn));
        assert.strictEqual(provider.inputs.kubeconfig, "[secret]");
        for (const group of ofType(plan, NODE_GROUP)) assert.ok(release.dependencies.includes(group.urn));
    });

    it("runs the Cluster Autoscaler with its IRSA role, the cluster's image minor and zone balancing", () => {
        const release = named(plan, RELEASE, "cluster-autoscaler");
        assert.strictEqual(release.inputs.namespace, "kube-system");
        const values = release.inputs.values as Record<string, any>;
        const clusterName = named(plan, CLUSTER, "cluster-eks").inputs.name;
        assert.deepStrictEqual(values.autoDiscovery, { clusterName });
        assert.strictEqual(values.awsRegion, "us-east-1");
        assert.deepStrictEqual(values.image, { tag: "v1.35.0" });
        assert.strictEqual(values.extraArgs["balance-similar-node-groups"], true);
        assert.strictEqual(values.rbac.serviceAccount.annotations["eks.amazonaws.com/role-arn"], named(plan, ROLE, "cluster-autoscaler-role").outputs.arn);
        const trust = trustOf(named(plan, ROLE, "cluster-autoscaler-role"));
        assert.ok(Object.values(trust.Condition.StringEquals).includes("system:serviceaccount:kube-system:cluster-autoscaler"));
        for (const group of ofType(plan, NODE_GROUP)) assert.ok(release.dependencies.includes(group.urn));
    });

    it("lets the autoscaler resize and terminate only this cluster's node groups", () => {
        const clusterName = named(plan, CLUSTER, "cluster-eks").inputs.name;
        const policy = JSON.parse(named(plan, "aws:iam/rolePolicy:RolePolicy", "cluster-autoscaler").inputs.policy as string);
        const writes = policy.Statement.find((s: { Action: string[] }) => s.Action.includes("autoscaling:SetDesiredCapacity"));
        assert.deepStrictEqual(writes.Condition, { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } });
    });

    it("scopes the controller's load balancer and security group writes to resources it tagged", () => {
        const policy = JSON.parse(named(plan, "aws:iam/policy:Policy", "cluster-lb-controller").inputs.policy as string);
        const deletes = policy.Statement.filter((s: { Action: string | string[] }) =>
            [s.Action].flat().some((a) => a === "elasticloadbalancing:DeleteLoadBalancer" || a === "ec2:DeleteSecurityGroup"));
        assert.strictEqual(deletes.length, 2);
        for (const statement of deletes) assert.deepStrictEqual(statement.Condition, { Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
    });

    it("exports the cluster security group for the data tier, the app ranges and a secret kubeconfig", () => {
        const component = named(plan, "intergalactic:index:KubernetesCluster", "cluster");
        const cluster = named(plan, CLUSTER, "cluster-eks");
        assert.strictEqual(component.outputs.workerSecurityGroupId, (cluster.outputs.vpcConfig as { clusterSecurityGroupId: string }).clusterSecurityGroupId);
        assert.deepStrictEqual(component.outputs.workerCidrs, ["10.10.0.0/20", "10.10.32.0/20", "10.10.64.0/20"]);
        assert.deepStrictEqual(component.outputs.zones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert.strictEqual(component.outputs.kubeconfig, "[secret]");
    });

    it("parents every resource to the component and tags AWS resources with it", () => {
        const component = named(plan, "intergalactic:index:KubernetesCluster", "cluster");
        for (const resource of plan.resources.filter((r) => r.custom)) {
            assert.strictEqual(resource.parent, component.urn, resource.name);
            if (resource.type.startsWith("aws:") && "tags" in resource.inputs) {
                const tags = resource.inputs.tags as Record<string, string>;
                assert.strictEqual(tags["intergalactic:component"], "cluster", resource.name);
                assert.strictEqual(tags.team, "platform", resource.name);
            }
        }
    });

    it("registers nothing but the stack when the args are invalid", async () => {
        const { error, registered } = await planFailure(() => new KubernetesCluster("cluster", args({ maxNodesPerZone: 0 })));
        assert.match(error.message, /maxNodesPerZone: 0 must be an integer from 1 to 450/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });

    it("refuses a repeated private endpoint range by its group key before registering anything, not with the engine's duplicate URN", async () => {
        const { error, registered } = await planFailure(() => new KubernetesCluster("cluster", args({ aws: { privateEndpointCidrs: ["10.10.0.0/20", "10.10.0.0/20"] } })));
        assert.match(error.message, /aws\.privateEndpointCidrs\[1\]: "10\.10\.0\.0\/20" is listed twice/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });
});

describe("KubernetesCluster wired to the wrong subnets", () => {
    it("refuses the data subnets for its workers, naming the arg, the value and the rule, and registers nothing", async () => {
        const data = NETWORK.subnets.filter((s) => s.tier === "data");
        const { error, registered } = await planFailure(() => new KubernetesCluster("cluster", args({ subnets: data })));
        assert.match(error.message, /subnets\[0\]: \{"tier":"data","zone":"us-east-1a","cidr":"10.10.20.0\/22"\} is in the data tier: each node group of the cluster belongs in the app tier/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });

    it("refuses a network of the other cloud", async () => {
        const { error } = await planFailure(() => new KubernetesCluster("cluster", args({ network: { ...NETWORK, cloud: "azure" } })));
        assert.match(error.message, /network.cloud: "azure" is not this component's cloud \(aws\)/);
    });

    it("puts one node group in each zone's app subnet by default", async () => {
        const plan = await planSnippet(() => new KubernetesCluster("cluster", args()));
        const groups = ofType(plan, "aws:eks/nodeGroup:NodeGroup");
        assert.deepStrictEqual(groups.map((g) => (g.inputs.subnetIds as string[])[0]).sort(), [...SUBNETS].sort());
    });
});
