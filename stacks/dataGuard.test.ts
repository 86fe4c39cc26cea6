/**
 * The prod data-loss guard, per store and per cloud: a prod stack refuses by config alone to remove,
 * rename or re-network a data store, to turn off its protection or final snapshot, or to stop being
 * prod, unless intergalactic:dataLossOverride names the store.
 */
import * as assert from "assert";
import { projectStacks, stackNames, stackPlan } from "../engine/testing/plan";
import { planError, stackSection } from "./testing";

const STORES = [
    { section: "mongo", name: "users", component: "HaMongo" },
    { section: "redis", name: "cache", component: "HaRedis" },
    { section: "kafka", name: "kafka", component: "KafkaQuorum" },
] as const;
const OVERRIDE = /set intergalactic:dataLossOverride: \["(users|cache|kafka)"\]/;

/** Each prod stack's second stamp's name suffix (its region key). */
const SECOND_STAMP: Readonly<Record<string, string>> = { prod: "use1", "prod-azure": "eastus2" };

describe("the data-loss guard's second-stamp table", () => {
    it("names every prod stack", () => {
        assert.deepStrictEqual(Object.keys(SECOND_STAMP).sort(), [...stackNames(undefined, "prod")].sort());
    });
});

for (const stack of stackNames(undefined, "prod")) {
    const aws = projectStacks().find((s) => s.stack === stack)!.cloud === "aws";
    // The stack's second region's stamp has its own cache and event bus, named after the region, and on AWS the
    // user database's copy (a DocumentDB secondary); on Azure the user database is the one account.
    const other = SECOND_STAMP[stack];
    const everyStamp = (store: (typeof STORES)[number]) => store.section === "mongo" && !aws ? [store.name] : [store.name, `${store.name}-${other}`];
    describe(`the ${stack} stack's data-loss guard`, () => {
        let deployed: Record<string, unknown>;
        before(async () => {
            deployed = (await stackPlan(stack)).stackOutputs;
        });
        const change = (section: string, patch: Record<string, unknown>) => ({ [`intergalactic:${section}`]: { ...stackSection(stack, section), ...patch } });

        it("exports the inventory of its stores for the next deployment to compare with", () => {
            const stores = deployed.dataStores as Record<string, { section: string; deletionProtection: boolean }>;
            assert.deepStrictEqual(Object.keys(stores).sort(), ["cache", `cache-${other}`, "kafka", `kafka-${other}`, "users", ...(aws ? [`users-${other}`] : [])]);
            assert.ok(Object.values(stores).every((s) => s.deletionProtection), "every prod store is protected, the event bus too");
        });

        for (const store of STORES) {
            describe(`for ${store.component} "${store.name}"`, () => {
                it("refuses to remove it", async () => {
                    const message = await planError(stack, change(store.section, { enabled: false }));
                    assert.match(message, new RegExp(`intergalactic:${store.section}.enabled: false would delete the prod ${store.component} "${store.name}" and its data`));
                    assert.match(message, OVERRIDE);
                });

                it("refuses to rename it once deployed", async () => {
                    const message = await planError(stack, change(store.section, { name: `${store.name}2` }), deployed);
                    assert.match(message, new RegExp(`intergalactic:${store.section}.name: "${store.name}2" renames the prod ${store.component} "${store.name}"`));
                    assert.match(message, new RegExp(`set intergalactic:dataLossOverride: \\["${store.name}"\\]`));
                });

                it("refuses to re-network it once deployed", async () => {
                    const message = await planError(stack, change("network", { cidrBlock: "10.99.0.0/16" }), deployed);
                    assert.match(message, new RegExp(`intergalactic:network.cidrBlock: "10.99.0.0/16" re-networks the prod ${store.component} "${store.name}"`));
                });

                it("refuses to turn off its deletion protection", async () => {
                    const message = await planError(stack, change(store.section, { deletionProtection: false }));
                    assert.match(message, new RegExp(`intergalactic:${store.section}.deletionProtection: false must be true in a prod stack`));
                    assert.match(message, OVERRIDE);
                });

                if (aws && store.section !== "kafka") {
                    it("refuses to turn off its final snapshot", async () => {
                        const message = await planError(stack, change(store.section, { finalSnapshot: false }));
                        assert.match(message, new RegExp(`intergalactic:${store.section}.finalSnapshot: false must be true in a prod stack`));
                    });
                }

                it("accepts removing it when the override names it in every stamp", async () => {
                    const message = await planError(stack, { ...change(store.section, { enabled: false }), "intergalactic:dataLossOverride": everyStamp(store) }, deployed);
                    assert.doesNotMatch(message, /dataLossOverride|would delete/);
                });

                if (store.section !== "mongo") {
                    it("refuses removing it when the override names only the first region's", async () => {
                        const message = await planError(stack, { ...change(store.section, { enabled: false }), "intergalactic:dataLossOverride": [store.name] }, deployed);
                        assert.match(message, new RegExp(`intergalactic:${store.section}.enabled: false would delete the prod ${store.component} "${store.name}-${other}" and its data`));
                    });
                }
            });
        }

        it("refuses to move the stores to another region once deployed", async () => {
            const moved = aws ? { "aws:region": "eu-central-1", "intergalactic:regions": ["eu-central-1", "us-east-1"] }
                : { "azure-native:location": "westeurope", "intergalactic:regions": ["westeurope", "eastus2"] };
            const message = await planError(stack, { ...moved, "intergalactic:services": undefined }, deployed);
            assert.match(message, new RegExp(`(aws:region|azure-native:location): "(eu-central-1|westeurope)" moves the prod HaMongo "users" out of`));
        });

        it("refuses environment: dev in a stack named prod", async () => {
            const message = await planError(stack, { "intergalactic:environment": "dev" });
            assert.match(message, new RegExp(`intergalactic:environment: "dev" in prod stack "${stack}" would drop the prod protection of "users", "cache", "kafka"`));
        });

        it("protects the event bus in the plan: Pulumi protect on the cluster or namespace", async () => {
            const plan = await stackPlan(stack);
            const bus = plan.resources.find((r) => r.type === (aws ? "aws:msk/cluster:Cluster" : "azure-native:eventhub:Namespace"))!;
            assert.strictEqual(bus.options.protect, true);
        });
    });
}

describe("which stacks are prod", () => {
    it("judges by name as well as by kind", () => {
        const { isProdStack } = require("./config/dataLoss") as typeof import("./config/dataLoss");
        assert.deepStrictEqual(["prod", "prod-azure", "eu-production", "Prod", "dev", "product-dev", "reprod"].map((s) => isProdStack(s, "dev")),
            [true, true, true, true, false, false, false]);
        assert.strictEqual(isProdStack("live", "prod"), true);
    });
});

describe("the data-loss guard in dev", () => {
    it("lets a dev stack remove a store", async () => {
        const message = await planError("dev", { "intergalactic:kafka": { ...stackSection("dev", "kafka"), enabled: false }, "intergalactic:services": undefined });
        assert.strictEqual(message, "");
    });
});
