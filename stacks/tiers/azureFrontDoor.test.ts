/**
 * The Front Door forward cache on the Azure stacks' real plans: its origin (the public ingress) admits
 * only Front Door,.
 * Sources are in README "What the cloud requires" (CookieServices).
 */
import * as assert from "assert";
import { planNetwork } from "../../components/network/networkPlan";
import { ROOT } from "../../engine/planStack";
import { stackNames, stackStampPlan } from "../../engine/testing/plan";
import { Plan } from "../../engine/format";
import { loadStackFiles } from "../../engine/stackFiles";

const ingressRule = (plan: Plan) => {
    const nsgs = plan.resources.filter((r) => r.type === "azure-native:network:NetworkSecurityGroup" && r.name.endsWith("-nsg-app"));
    assert.ok(nsgs.length >= 1, "the app subnets' NSGs");
    return nsgs.map((nsg) => ((nsg.inputs.securityRules ?? []) as Record<string, unknown>[]).find((r) => r.name === "AllowHttpsToIngress")!);
};

for (const stack of stackNames("azure")) {
    describe(`the ${stack} Front Door forward cache`, () => {
        const services = () => JSON.parse(loadStackFiles(ROOT, stack).config["intergalactic:services"]);
        // In one region: with several, the global entry serves the host, which the forward cache would claim too.
        const cacheOn = () => ({ "intergalactic:regions": JSON.stringify([loadStackFiles(ROOT, stack).config["azure-native:location"]]), "intergalactic:services": JSON.stringify({ ...services(), forwardCache: { enabled: true, originHostname: `origin.${String(services().host)}` } }) });

        it("lets only Front Door's back ends reach the ingress, through the service tag in ARM's singular field", async () => {
            for (const rule of ingressRule(await stackStampPlan(stack, "", cacheOn()))) {
                assert.deepStrictEqual([rule.sourceAddressPrefix, rule.sourceAddressPrefixes, rule.destinationPortRanges], ["AzureFrontDoor.Backend", undefined, ["80", "443"]]);
            }
        });

        it("keeps the ingress open to the internet when there is no forward cache", async () => {
            for (const rule of ingressRule(await stackStampPlan(stack, ""))) assert.strictEqual(rule.sourceAddressPrefix, "Internet");
        });
    });
}

describe("Vpc3Az azure.ingressFromFrontDoorOnly", () => {
    it("is refused on aws, where it would do nothing, naming the arg", () => {
        assert.throws(() => planNetwork("net", { cloud: "aws", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], azure: { ingressFromFrontDoorOnly: true } }),
            /azure\.ingressFromFrontDoorOnly: true does nothing on aws \(only azure uses it\)/);
    });
});
