/**
 * The README's claims about using the package from another project ("Using the components from another project"),
 * each tied to the tests that hold it. readme.test.ts checks both ends: each phrase is in that section, each test
 * exists, and every paragraph of the section states at least one claim listed here, so a new sentence about consumers
 * needs a test named beside it.
 */

/** A test by its file (from the repository root) and a part of its title. */
export interface Proof {
    readonly file: string;
    readonly test: string;
}

export interface Claim {
    /** Words of the README, whitespace aside. */
    readonly readme: string;
    readonly proofs: readonly Proof[];
}

const PACKAGE = "tools/package/package.test.ts";
const CONSUMERS = "tools/package/consumers.test.ts";
const EXAMPLE = "tools/package/example.test.ts";
const PNPM = "tools/package/pnpm.test.ts";
const SCHEMA = "tools/package/schema.test.ts";
const CLI = "cli/intergalactic.test.ts";
const CLOUD = "components/common/cloud.test.ts";
const WIRING = "components/network/wiring.test.ts";

export const CONSUMER_CLAIMS: readonly Claim[] = [
    { readme: "`npm pack` in this repository builds (`npm run build`: JavaScript and `.d.ts` in `dist/`)", proofs: [
        { file: PACKAGE, test: "builds JavaScript with declarations for the root and every module into dist/" },
        { file: PACKAGE, test: "packs the built package only" }] },
    { readme: "Each cloud's SDK is an optional peer dependency", proofs: [
        { file: CLOUD, test: "lists each cloud's SDK as an optional peer dependency of the package" }] },
    { readme: "its `node_modules` takes about 207 MB (the consumer test prints it and fails above 250 MB)", proofs: [
        { file: CONSUMERS, test: "SDK and stays within ${consumer.limitMb} MB of node_modules" },
        { file: CONSUMERS, test: "states the size the test measures" }] },
    { readme: "`@pulumi/kubernetes` is one too", proofs: [
        { file: CLOUD, test: "lists @pulumi/kubernetes as an optional peer dependency" },
        { file: CONSUMERS, test: "gets one sentence naming @pulumi/kubernetes when it imports the services module without it" },
        { file: CLOUD, test: "names @pulumi/kubernetes when the cloud's implementation needs it" }] },
    { readme: "A component built for a cloud whose SDK is missing fails with one sentence", proofs: [
        { file: CLOUD, test: "names the package to install, with its version range, when the cloud's SDK is missing" },
        { file: CONSUMERS, test: "gets one sentence naming the package to install when it builds a component for the other cloud" }] },
    { readme: "Nobody writes a subnet id, a zone or a range for HaRedis, HaMongo, KafkaQuorum, KubernetesCluster", proofs: [
        { file: CONSUMERS, test: "writes no subnet id, zone, range or resource group by hand" },
        { file: CONSUMERS, test: "places every data store in the network's data subnets and the cluster's nodes in its app subnets" },
        { file: CONSUMERS, test: "admits to every data store exactly the app subnets' ranges, nothing wider" }] },
    { readme: "CookieServices lets its services reach their stores only in the data subnets' ranges", proofs: [
        { file: "components/services/servicesPlan.test.ts", test: "takes the data tier's ranges and, on AWS, the public subnets for the ALB from the network's facts" }] },
    { readme: "Wrong wiring fails before anything is created, naming the arg, the value and the rule", proofs: [
        { file: WIRING, test: "refuses any client range outside the network and accepts any inside it" },
        { file: WIRING, test: "refuses the whole network, naming the tiers it also admits" }] },
    { readme: "Given subnets are matched by id", proofs: [
        { file: "components/redis/haRedis.test.ts", test: "is refused while planning, naming the arg, the subnet and the network it belongs to" },
        { file: WIRING, test: "checks another Output of the same facts once the ids are known" }] },
    { readme: "The offline plan (`intergalactic plan`) ends with that check's message", proofs: [
        { file: CLI, test: "ends a check that only the ids can settle" },
        { file: CLI, test: "ends with HaRedis's arg error naming the subnet and the other network" }] },
    { readme: "Each component loads its cloud's SDK only when it is built, so an AWS program never loads `@pulumi/azure-native`", proofs: [
        { file: PACKAGE, test: "builds AWS components from dist without loading @pulumi/azure-native" },
        { file: CONSUMERS, test: "runs the installed package and @pulumi/${consumer.sdk}, never @pulumi/${consumer.foreignSdk}" }] },
    { readme: "The package ships a command, so a project that installs it plans its own stacks offline", proofs: [
        { file: PACKAGE, test: "ships its command" },
        { file: CONSUMERS, test: "plans the network, the three data stores and the cluster, every order need met" },
        { file: PNPM, test: "runs the shipped command" }] },
    { readme: "It finds the nearest `Pulumi.yaml` (or `--project <dir>`), reads its project-level `config:`", proofs: [
        { file: CLI, test: "finds the project in a parent folder, as the Pulumi CLI does" },
        { file: CLI, test: "takes the region from Pulumi.yaml's project-level config" },
        { file: CONSUMERS, test: "reads the project-level config" }] },
    { readme: "It refuses a stack without `aws:region`", proofs: [
        { file: CLI, test: "refuses a stack without aws:region in a project that uses @pulumi/aws, instead of assuming one" },
        { file: CLI, test: "refuses an Azure stack without azure-native:location" },
        { file: CLI, test: "lists the known stacks when the stack file is missing" }] },
    { readme: "It needs `@pulumi/policy` (an optional peer dependency): without it, it says so in one sentence and exits 2", proofs: [
        { file: CLI, test: "refuses to run the policy pack where @pulumi/policy cannot be found, in one sentence (exit 2)" },
        { file: CONSUMERS, test: "gets one sentence naming the package to install when it runs the policy pack without @pulumi/policy (exit 2)" },
        { file: PNPM, test: "gets one sentence, not a module-not-found trace, from policy without @pulumi/policy" }] },
    { readme: "`prod-data-loss` judges a program that publishes no deployed data-store inventory", proofs: [
        { file: EXAMPLE, test: "passes with the pack's own prod defaults, saying in one line that prod-data-loss compared no deployed inventory and how to opt in" },
        { file: EXAMPLE, test: "fails with exit 1 and names the violation when a policy is violated" }] },
    { readme: "`examples/aws-cookie-cache` is a complete AWS-only consumer with a component of its own", proofs: [
        { file: EXAMPLE, test: "composes the components in the example's own component" },
        { file: EXAMPLE, test: "reads the project-level config of Pulumi.yaml" },
        { file: EXAMPLE, test: "installs no Azure SDK and stays within" }] },
    { readme: "`examples/aws-platform` and `examples/azure-platform` wire one Vpc3Az to HaRedis, HaMongo, KafkaQuorum and KubernetesCluster", proofs: [
        { file: CONSUMERS, test: "type-checks against the installed package's declarations" },
        { file: CONSUMERS, test: "states the size the test measures" }] },
    { readme: "`npm test` does the same", proofs: [
        { file: EXAMPLE, test: "gets the packed build of this version, not the sources" }] },
    { readme: "`provider/` is a source-based component package", proofs: [
        { file: SCHEMA, test: "is a nodejs plugin named intergalactic" }] },
    { readme: "The CLI infers the schema from the component classes and their TSDoc", proofs: [
        { file: SCHEMA, test: "has every documented input of every component, with its description" },
        { file: SCHEMA, test: "copies in its Python example exactly the ranges Vpc3Az reports" }] },
    { readme: "A limit of this path: the schema marks `network` and its plain fields", proofs: [
        { file: SCHEMA, test: "keeps cidrBlock, zones, subnets, tier, zone and cidr plain" },
        { file: SCHEMA, test: "states the decision" }] },
    { readme: "Bad arguments fail with the component's own message before anything is created", proofs: [
        { file: SCHEMA, test: "rejects bad input from another language with the component's own message" }] },
];

/** The README's section on consumers: from its heading to the next top-level section. */
export function consumerSection(readme: string): string {
    const start = readme.indexOf("\n## Using the components from another project");
    if (start < 0) throw new Error("the README has no \"Using the components from another project\" section");
    const end = readme.indexOf("\n## ", start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
}

/** The section's prose paragraphs: code blocks and headings left out, whitespace folded. */
export function paragraphs(section: string): string[] {
    return section.replace(/```[\s\S]*?```/g, "\n\n").split(/\n\s*\n/)
        .map((p) => p.replace(/\s+/g, " ").trim())
        .filter((p) => p.length > 0 && !p.startsWith("#"));
}
