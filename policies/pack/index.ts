/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack policies` runs this
 * (compiled to `policies/bin/`), and so does the offline runner.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "./registry";

new PolicyPack(PACK_NAME, {
    description: "High availability, security and teardown hygiene of the Intergalactic Cookies platform on AWS and Azure.",
    enforcementLevel: "mandatory",
    policies: [...POLICIES],
});
