/**
 * `prod-data-loss`: the prod data-loss guard as a mandatory stack policy, so a prod preview or up
 * run with the pack refuses what the program refuses even if the program were changed. It judges
 * the resources themselves: the data-store components and their stores' `protect` and final
 * snapshot settings, the network's range, against the stores the last deployment exported (the
 * StackReference the program reads its own last outputs through). Only the override list
 * (`intergalactic:dataLossOverride`) and `environment` come from the stack's outputs.
 *
 * The deployed inventory exists only where the program publishes it (this repository's stacks: the
 * `dataStores` output, read back by `stacks/dataGuard.ts`). A stack that publishes none (a consumer's
 * program) is judged on its stores' resources alone: protection and final snapshot; the comparison
 * with the deployment is then not applicable and says how to opt in. A stack that publishes the
 * inventory, or whose config sets `requireDeployedInventory` (this repository's prod configs), must
 * also read it back, so a program that stopped running its guard is refused.
 */
import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { DATA_STORE_TYPES, Environment, Types, configOf, environmentSchema, list } from "../common";
import { StoreInventory, StoreRecord, compareInventories } from "../shared/dataLoss";

const schema: PolicyConfigSchema = {
    properties: {
        environment: environmentSchema,
        requireDeployedInventory: {
            type: "boolean", default: false,
            description: "Refuse a stack that does not read its deployed data-store inventory back (StackReference to itself), even if it publishes none; off by default, because only a program that publishes the inventory (the dataStores output) can pass it.",
        },
    },
};

/** The one line a stack without a deployed inventory gets: what was not compared, and how to opt in. */
export const OPT_IN = "the stack publishes no deployed data-store inventory, so removal, renaming and re-networking of its stores are not compared (their protection and final snapshots were checked): " +
    "to opt in, export the stores as the dataStores stack output, read it back through a StackReference to the stack itself, and set requireDeployedInventory: true";

/** The data-store components and the config section that builds each. */
const COMPONENTS: Readonly<Record<string, { component: string; section: string }>> = {
    "intergalactic:index:HaMongo": { component: "HaMongo", section: "mongo" },
    "intergalactic:index:HaRedis": { component: "HaRedis", section: "redis" },
    "intergalactic:index:KafkaQuorum": { component: "KafkaQuorum", section: "kafka" },
};
const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** The data-store component a store resource belongs to. */
function componentOf(r: PolicyResource): PolicyResource | undefined {
    for (let p = r.parent; p; p = p.parent) if (COMPONENTS[p.type]) return p;
    return undefined;
}

/** Every string inside a value (subnet ids sit in lists and nested objects). */
function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
    return [];
}

/**
 * The range of the network a store component sits in: the Vpc3Az one of whose subnets its resources
 * name (a stack of regional stamps has a network per region), else the stack's only network.
 */
function networkCidrOf(component: PolicyResource, resources: readonly PolicyResource[]): string {
    const networks = resources.filter((r) => r.type === Types.Vpc3Az);
    const named = new Set(resources.filter((r) => componentOf(r) === component || componentOf(r)?.urn === component.urn).flatMap((r) => strings(r.props)));
    const network = networks.find((n) => list<{ id?: unknown }>(n.props.subnets).some((s) => typeof s?.id === "string" && named.has(s.id))) ?? networks[0];
    return String(network?.props.cidrBlock ?? "");
}

/** The stores as the resources show them. */
function currentInventory(resources: readonly PolicyResource[], environment: string): StoreInventory {
    const stores: Record<string, StoreRecord> = {};
    for (const store of resources.filter((r) => DATA_STORE_TYPES.includes(r.type))) {
        const component = componentOf(store);
        if (!component) continue;
        const { component: kind, section } = COMPONENTS[component.type];
        const finalSnapshot = store.type === Types.AwsRedis ? Boolean(store.props.finalSnapshotIdentifier)
            : store.type === Types.AwsDocDbCluster ? store.props.skipFinalSnapshot !== true : undefined;
        const before = stores[component.name];
        stores[component.name] = {
            component: kind, section, networkCidr: networkCidrOf(component, resources), environment,
            deletionProtection: (before?.deletionProtection ?? true) && store.opts.protect === true,
            ...(finalSnapshot === undefined ? {} : { finalSnapshot }),
        };
    }
    return stores;
}

export const prodDataLoss: StackValidationPolicy = {
    name: "prod-data-loss",
    description: "A prod stack does not remove, rename or re-network a deployed data store (the event bus included), turn off its protection or final snapshot, or stop being prod, unless intergalactic:dataLossOverride names the store.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["teardown", "backup"],
    configSchema: schema,
    validateStack: (args, report) => {
        const { environment, requireDeployedInventory } = configOf<{ environment: Environment; requireDeployedInventory: boolean }>(args, schema);
        if (environment !== Environment.Prod) return args.notApplicable("the data-loss guard applies to prod stacks");
        const stack = args.resources.find((r) => r.type === "pulumi:pulumi:Stack");
        const outputs = (stack?.props ?? {}) as Record<string, unknown>;
        const reference = args.resources.find((r) => r.type === STACK_REFERENCE);
        const current = currentInventory(args.resources, "");
        if (!reference && Object.keys(current).length === 0) return args.notApplicable("the stack has no data stores and no deployed inventory");
        const deployed = (reference?.props.outputs as Record<string, unknown> | undefined)?.dataStores as StoreInventory | undefined;
        const stated = typeof outputs.environment === "string" ? outputs.environment : Environment.Prod;
        const problems = compareInventories({
            // The pack's prod config is chosen by the stack's name: the stack is prod whatever its config says.
            stack: "prod", environment: stated,
            current: currentInventory(args.resources, stated), disabled: [],
            previous: deployed && typeof deployed === "object" ? deployed : undefined,
            overrides: list<string>(outputs.dataLossOverride),
        });
        const publishes = outputs.dataStores !== undefined;
        if (!reference && (publishes || requireDeployedInventory)) {
            problems.push(`the stack reads no deployed inventory (StackReference to itself) although ${publishes ? "it publishes one (the dataStores output)" : "requireDeployedInventory is true"}: the program's data-loss guard did not run`);
        }
        for (const problem of problems) report(problem);
        if (problems.length === 0 && !reference) args.notApplicable(OPT_IN);
    },
};
