/**
 * What every policy of the pack shares: the resource type tokens it knows,
 * safe property access, reading its configuration with the schema's defaults,
 * and the environment switch.
 *
 * The pack reads type tokens as strings instead of importing the provider SDKs:
 * loading `@pulumi/aws` and `@pulumi/azure-native` would multiply the pack's
 * start-up time, and a token comparison is all `validateResourceOfType` does.
 */
import { UnknownValueError } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { PolicyConfigSchema, PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

/** Resource type tokens the policies inspect, by the providers' own names. */
export const Types = {
    AwsSubnet: "aws:ec2/subnet:Subnet",
    AwsNatGateway: "aws:ec2/natGateway:NatGateway",
    AwsSecurityGroup: "aws:ec2/securityGroup:SecurityGroup",
    AwsSecurityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    AwsIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    AwsRoute: "aws:ec2/route:Route",
    AwsPeeringConnection: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    AwsPeeringAccepter: "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
    AwsInstance: "aws:ec2/instance:Instance",
    AwsLaunchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    AwsLoadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    AwsAlbLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
    AwsListener: "aws:lb/listener:Listener",
    AwsAlbListener: "aws:alb/listener:Listener",
    AwsRedis: "aws:elasticache/replicationGroup:ReplicationGroup",
    AwsCacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    AwsDocDbCluster: "aws:docdb/cluster:Cluster",
    AwsDocDbInstance: "aws:docdb/clusterInstance:ClusterInstance",
    AwsDocDbParameterGroup: "aws:docdb/clusterParameterGroup:ClusterParameterGroup",
    AwsDocDbSubnetGroup: "aws:docdb/subnetGroup:SubnetGroup",
    AwsKafka: "aws:msk/cluster:Cluster",
    AwsKafkaConfiguration: "aws:msk/configuration:Configuration",
    AwsKafkaTopic: "aws:msk/topic:Topic",
    AwsEksCluster: "aws:eks/cluster:Cluster",
    AwsNodeGroup: "aws:eks/nodeGroup:NodeGroup",
    AwsBucket: "aws:s3/bucket:Bucket",
    AwsBucketV2: "aws:s3/bucketV2:BucketV2",
    AwsSecret: "aws:secretsmanager/secret:Secret",
    AzureSubnet: "azure-native:network:Subnet",
    AzureNatGateway: "azure-native:network:NatGateway",
    AzureNsg: "azure-native:network:NetworkSecurityGroup",
    AzureSecurityRule: "azure-native:network:SecurityRule",
    AzureAppGateway: "azure-native:network:ApplicationGateway",
    AzureLoadBalancer: "azure-native:network:LoadBalancer",
    AzurePrivateEndpoint: "azure-native:network:PrivateEndpoint",
    AzureRedis: "azure-native:redisenterprise:RedisEnterprise",
    AzureRedisDatabase: "azure-native:redisenterprise:Database",
    AzureCosmos: "azure-native:cosmosdb:DatabaseAccount",
    AzureEventHubNamespace: "azure-native:eventhub:Namespace",
    AzureManagedCluster: "azure-native:containerservice:ManagedCluster",
    AzureAgentPool: "azure-native:containerservice:AgentPool",
    AzureKeyVault: "azure-native:keyvault:Vault",
    K8sDeployment: "kubernetes:apps/v1:Deployment",
    K8sStatefulSet: "kubernetes:apps/v1:StatefulSet",
    K8sDaemonSet: "kubernetes:apps/v1:DaemonSet",
    K8sPdb: "kubernetes:policy/v1:PodDisruptionBudget",
    K8sHpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    K8sIngress: "kubernetes:networking.k8s.io/v1:Ingress",
    Vpc3Az: "intergalactic:index:Vpc3Az",
} as const;

/** Data stores: what must be encrypted, private, backed up and placed in the isolated tier. */
export const DATA_STORE_TYPES: readonly string[] = [
    Types.AwsRedis, Types.AwsDocDbCluster, Types.AwsKafka,
    Types.AzureRedis, Types.AzureCosmos, Types.AzureEventHubNamespace,
];

/** The tag keys Vpc3Az and the components set: the engine's one definition, compiled into the pack. */
export { TagKeys } from "./shared/tags";

/** The kind of environment a stack is, as the pack's per-stack config says it. */
export const Environment = { Dev: "dev", Prod: "prod" } as const;
export type Environment = (typeof Environment)[keyof typeof Environment];

/** The config property every environment-aware policy takes. Strict (prod) unless a stack says otherwise. */
export const environmentSchema: PolicyConfigJSONSchema = {
    type: "string", enum: [Environment.Dev, Environment.Prod], default: Environment.Prod,
    description: "The stack's environment: dev stacks may be torn down by the scheduler, prod stacks are protected.",
};

/**
 * `read()`, or `fallback` while the value is unknown (a preview before the resource exists). Used for
 * ids and outputs that only link resources, so a policy still runs on what is known instead of being
 * skipped for the whole preview.
 */
export function known<T>(read: () => T, fallback: T): T {
    try {
        return read();
    } catch (err) {
        if (err instanceof UnknownValueError) return fallback;
        throw err;
    }
}

/** A value at a dotted path, or undefined when any step is missing. */
export function at(value: unknown, path: string): unknown {
    let current: unknown = value;
    for (const key of path.split(".")) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}

/** An array value, or [] when absent or not an array. */
export function list<T = unknown>(value: unknown): T[] {
    return Array.isArray(value) ? (value as T[]) : [];
}

/** Each schema's defaults, gathered once: a resource policy asks for its config once per resource. */
const schemaDefaults = new WeakMap<PolicyConfigSchema, Record<string, unknown>>();

/** A policy's config with the schema's defaults filled in for absent keys. */
export function configOf<T extends object>(args: { getConfig<C extends object>(): C }, schema: PolicyConfigSchema): T {
    const configured = args.getConfig<Record<string, unknown>>();
    let defaults = schemaDefaults.get(schema);
    if (!defaults) {
        defaults = Object.fromEntries(Object.entries(schema.properties)
            .filter(([, s]) => s.default !== undefined)
            .map(([key, s]) => [key, s.default]));
        schemaDefaults.set(schema, defaults);
    }
    return { ...defaults, ...configured } as T;
}

/** A short label for a resource in a message: `<type> "<name>"`. */
export function label(resource: { type: string; name: string }): string {
    return `${resource.type} "${resource.name}"`;
}

/** Reports one violation against a resource of a stack policy, naming it in the message. */
export function reportOn(report: ReportViolation, resource: PolicyResource, message: string): void {
    report(`${label(resource)}: ${message}`, resource.urn);
}

/** Every resource of the given types. */
export function ofTypes(args: StackValidationArgs, ...types: string[]): PolicyResource[] {
    return args.resources.filter((r) => types.includes(r.type));
}

/** The resources a property of `resource` depends on (the engine's property dependencies). */
export function dependenciesOf(resource: PolicyResource, property: string): PolicyResource[] {
    return resource.propertyDependencies[property] ?? [];
}

/** Resource-policy args narrowed to what the checks use, so they can share code with stack checks. */
export type ResourceArgs = Pick<ResourceValidationArgs, "type" | "props" | "name" | "urn" | "opts" | "notApplicable" | "getConfig">;
