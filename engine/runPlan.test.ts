import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { planFailure, planSnippet, rejection } from "./testing/plan";

/** A check a component can make only once a value is known: it throws inside an Output's apply. */
const refusedOnceKnown = (value: string) => pulumi.output(value).apply((v) => {
    if (v !== "westeurope") throw new Error(`location: "${v}" is not the network's location (westeurope)`);
    return v;
});
class Bucket extends pulumi.CustomResource {
    constructor(name: string, args: { location: pulumi.Input<string> }) {
        super("test:index:Bucket", name, args);
    }
}
const bucket = (name: string, location: pulumi.Input<string>) => new Bucket(name, { location });

describe("an error thrown inside an Output's apply", function () {
    // Without the fix these hang: keep the failure short and clear.
    this.timeout(10000);

    it("ends planFailure with the apply's error, its message intact, not a hang", async () => {
        const { error, registered } = await planFailure(() => {
            bucket("first", "westeurope");
            bucket("refused", refusedOnceKnown("northeurope"));
        });
        assert.strictEqual(error.message, `error serializing property "location": location: "northeurope" is not the network's location (westeurope)`);
        assert.ok(registered.includes("test:index:Bucket"), `registered: ${registered.join(", ")}`);
    });

    it("makes planSnippet reject with the program's first error when several applies throw", async () => {
        const error = await rejection(planSnippet(() => {
            bucket("a", refusedOnceKnown("northeurope"));
            bucket("b", refusedOnceKnown("uksouth"));
        }));
        assert.match(error.message, /location: "northeurope" is not the network's location \(westeurope\)$/);
    });

    it("leaves no listener behind, and the next plan succeeds unchanged", async () => {
        const before = process.listenerCount("unhandledRejection");
        await planFailure(() => bucket("refused", refusedOnceKnown("northeurope")));
        assert.strictEqual(process.listenerCount("unhandledRejection"), before);
        const plan = await planSnippet(() => bucket("kept", refusedOnceKnown("westeurope")));
        assert.deepStrictEqual(plan.resources.filter((r) => r.type === "test:index:Bucket").map((r) => [r.name, r.inputs.location]), [["kept", "westeurope"]]);
    });
});
