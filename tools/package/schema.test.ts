import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { InvalidArgumentsError } from "../../components/common/validation";
import { ofType, planFailure, planSnippet } from "../../engine/testing/plan";
import { ComponentSource, componentSources, normalize } from "./componentSources";

const ROOT = path.resolve(__dirname, "../..");
const PROVIDER_DIR = path.join(ROOT, "provider");

interface SchemaProperty {
    readonly description?: string;
    readonly $ref?: string;
    readonly items?: SchemaProperty;
    readonly additionalProperties?: SchemaProperty;
}
interface SchemaResource {
    readonly isComponent?: boolean;
    readonly description?: string;
    readonly inputProperties: Record<string, SchemaProperty>;
    readonly requiredInputs?: string[];
    readonly properties: Record<string, SchemaProperty>;
}
interface PackageSchema {
    readonly name: string;
    readonly resources: Record<string, SchemaResource>;
    readonly types?: Record<string, { properties?: Record<string, SchemaProperty> }>;
}

/** Every `$ref` in a schema fragment. */
function refsOf(value: unknown): string[] {
    if (Array.isArray(value)) return value.flatMap(refsOf);
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([key, v]) => (key === "$ref" && typeof v === "string" ? [v] : refsOf(v)));
}

describe("the multi-language package (provider/)", function () {
    this.timeout(180_000);
    let sources: ComponentSource[];
    let schema: PackageSchema;
    let provider: ComponentProvider;

    before(async () => {
        sources = componentSources(ROOT);
        // Exactly what Pulumi's plugin host does with the plugin folder: load it, collect its components, infer the schema.
        const components = getPulumiComponents(require(PROVIDER_DIR));
        provider = new ComponentProvider({ components, dirname: PROVIDER_DIR, name: "intergalactic" });
        schema = JSON.parse(await provider.getSchema());
    });

    it("is a nodejs plugin named intergalactic, so its tokens are intergalactic:index:<Class>", () => {
        assert.match(fs.readFileSync(path.join(PROVIDER_DIR, "PulumiPlugin.yaml"), "utf8"), /^runtime:\s*nodejs\s*$/m);
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(PROVIDER_DIR, "package.json"), "utf8")).name, "intergalactic");
        assert.strictEqual(schema.name, "intergalactic");
    });

    it("finds the components it checks", () => {
        assert.ok(sources.length >= 7, `only ${sources.map((s) => s.className).join(", ")}`);
    });

    it("exports every component class of components/ from the plugin and from the package root", () => {
        const fromPlugin = Object.keys(require(PROVIDER_DIR)).sort();
        const fromRoot = Object.keys(require(path.join(ROOT, "components")));
        const classes = sources.map((s) => s.className).sort();
        assert.deepStrictEqual(fromPlugin, classes, "provider/index.ts must export exactly the component classes");
        for (const name of classes) assert.ok(fromRoot.includes(name), `components/index.ts does not export ${name}`);
    });

    it("registers every component under its own intergalactic:index:<Class> token", () => {
        for (const source of sources) assert.strictEqual(source.token, `intergalactic:index:${source.className}`, source.file);
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), sources.map((s) => s.token).sort());
        for (const source of sources) assert.strictEqual(schema.resources[source.token].isComponent, true, source.token);
    });

    it("has every documented input of every component, with its description", () => {
        for (const source of sources) {
            const resource = schema.resources[source.token];
            assert.deepStrictEqual(Object.keys(resource.inputProperties).sort(), source.inputs.map((i) => i.name).sort(), `${source.token} inputs`);
            for (const input of source.inputs) {
                assert.ok(input.description, `${source.argsInterface}.${input.name} has no TSDoc`);
                assert.strictEqual(normalize(resource.inputProperties[input.name].description ?? ""), input.description, `${source.token} input ${input.name}`);
            }
        }
    });

    it("requires exactly the inputs the args interfaces require", () => {
        for (const source of sources) {
            const required = source.inputs.filter((i) => !i.optional).map((i) => i.name).sort();
            assert.deepStrictEqual([...(schema.resources[source.token].requiredInputs ?? [])].sort(), required, `${source.token} required inputs`);
        }
    });

    it("has every public output of every component, with its description", () => {
        for (const source of sources) {
            const resource = schema.resources[source.token];
            assert.deepStrictEqual(Object.keys(resource.properties).sort(), source.outputs.map((o) => o.name).sort(), `${source.token} outputs`);
            for (const output of source.outputs) {
                assert.ok(output.description, `${source.className}.${output.name} has no TSDoc`);
                assert.strictEqual(normalize(resource.properties[output.name].description ?? ""), output.description, `${source.token} output ${output.name}`);
            }
        }
    });

    it("documents a default for every optional input, which other languages see only in the docs", () => {
        for (const source of sources) {
            for (const input of source.inputs.filter((i) => i.optional)) {
                assert.ok(input.defaultValue, `${source.argsInterface}.${input.name} is optional but has no @default`);
            }
        }
    });

    it("documents a default for every field of the cloud groups (aws, azure), which say what one cloud alone uses", () => {
        const groups = sources.flatMap((source) => source.inputs.filter((i) => i.name === "aws" || i.name === "azure")
            .map((group) => ({ where: `${source.argsInterface}.${group.name}`, group })));
        assert.ok(groups.length > 0, "no component has a cloud group");
        for (const { where, group } of groups) {
            assert.ok(group.fields && group.fields.length > 0, `${where} is not an interface of documented fields`);
            for (const field of group.fields) {
                assert.ok(field.description, `${where}.${field.name} has no TSDoc`);
                assert.ok(!field.optional || field.defaultValue, `${where}.${field.name} is optional but has no @default`);
            }
        }
    });

    it("defines every type the components refer to", () => {
        const defined = new Set(Object.keys(schema.types ?? {}).map((token) => `#/types/${token}`));
        const missing = refsOf(schema.resources).concat(refsOf(schema.types ?? {}))
            .filter((ref) => ref.startsWith("#/types/") && !defined.has(ref));
        assert.deepStrictEqual([...new Set(missing)], []);
    });

    it("constructs a component from the plain inputs another language sends and returns every schema output", async () => {
        const token = "intergalactic:index:Vpc3Az";
        let state: Record<string, unknown> = {};
        const plan = await planSnippet(async () => {
            const inputs = { cloud: "aws", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], natStrategy: "Single" };
            state = (await provider.construct("net", token, inputs, {})).state;
        });
        assert.strictEqual(ofType(plan, token).length, 1);
        assert.strictEqual(ofType(plan, "aws:ec2/subnet:Subnet").length, 9);
        assert.deepStrictEqual(Object.keys(state).sort(), Object.keys(schema.resources[token].properties).sort());
    });

    it("rejects bad input from another language with the component's own message, registering nothing", async () => {
        const { error, registered } = await planFailure(() => provider.construct("net", "intergalactic:index:Vpc3Az", { cloud: "gcp" }, {}));
        assert.ok(error instanceof InvalidArgumentsError, String(error));
        assert.match(error.message, /cloud: "gcp" is not a supported cloud/);
        assert.deepStrictEqual(registered, ["pulumi:pulumi:Stack"]);
    });
    /**
     * The decision the README states for other languages ("A limit of this path"): the components plan with the facts'
     * zones and ranges before anything exists, so the schema keeps those fields plain, and only the ids are Inputs. A
     * change to either side (an Input there, or a README that claims more) fails here.
     */
    describe("the network facts in the schema, as the README's multi-language section states them", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const prop = (type: string, name: string) => (schema.types?.[`intergalactic:index:${type}`]?.properties ?? {})[name] as SchemaProperty & { plain?: boolean };

        it("states the decision: network and its layout fields plain, only the ids Outputs", () => {
            assert.match(readme.replace(/\s+/g, " "), /the schema marks `network` and its plain fields \(`cidrBlock`, `zones`, each subnet's `tier`, `zone`, `cidr`\) `plain`/);
            assert.match(readme.replace(/\s+/g, " "), /only the ids are Outputs/);
        });

        it("marks network (and subnets) plain on every component that takes them", () => {
            const takers = Object.entries(schema.resources).filter(([, r]) => r.inputProperties.network !== undefined);
            const names = takers.map(([t]) => t.split(":")[2]);
            for (const c of ["BastionHost", "HaMongo", "HaRedis", "KafkaQuorum", "KubernetesCluster"]) assert.ok(names.includes(c), `${c} takes no network: ${names.join(", ")}`);
            for (const [token, resource] of takers) {
                const network = resource.inputProperties.network as SchemaProperty & { plain?: boolean };
                assert.strictEqual(network.$ref, "#/types/intergalactic:index:NetworkFacts", token);
                assert.strictEqual(network.plain, true, `${token}.network`);
            }
        });

        it("keeps cidrBlock, zones, subnets, tier, zone and cidr plain, and networkId, the subnet ids and the resource group Inputs", () => {
            for (const [type, name] of [["NetworkFacts", "cloud"], ["NetworkFacts", "cidrBlock"], ["NetworkFacts", "zones"], ["NetworkFacts", "subnets"],
                ["SubnetFacts", "tier"], ["SubnetFacts", "zone"], ["SubnetFacts", "cidr"]]) {
                assert.strictEqual(prop(type, name)?.plain, true, `${type}.${name} is not plain`);
            }
            for (const [type, name] of [["NetworkFacts", "networkId"], ["NetworkFacts", "resourceGroupName"], ["SubnetFacts", "id"]]) {
                assert.ok(prop(type, name) !== undefined && prop(type, name).plain !== true, `${type}.${name} must be an Input`);
            }
        });

        it("copies in its Python example exactly the ranges Vpc3Az reports in its subnets output for that network", async () => {
            const python = /```python\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
            const listed = (tier: string) => [...(new RegExp(`^${tier} = \\[(.*)\\]$`, "m").exec(python)?.[1] ?? "").matchAll(/\("([^"]+)", "([^"]+)"\)/g)].map((m) => [m[1], m[2]]);
            const zones = JSON.parse(/^zones = (\[.*\])$/m.exec(python)?.[1] ?? "[]") as string[];
            assert.strictEqual(zones.length, 3, "the example's zones");
            let state: Record<string, unknown> = {};
            await planSnippet(async () => {
                state = (await provider.construct("net", "intergalactic:index:Vpc3Az", { cloud: "aws", availabilityZones: zones }, {})).state;
            });
            const subnets = await new Promise<{ tier: string; zone: string; cidr: string }[]>((resolve) => (state.subnets as { apply(f: (v: unknown) => void): void }).apply((v) => resolve(v as never)));
            for (const tier of ["data", "app"]) {
                assert.deepStrictEqual(listed(tier), subnets.filter((s) => s.tier === tier).map((s) => [s.zone, s.cidr]), `the example's ${tier} ranges`);
            }
        });
    });
});
