/** intergalactic:services.regionCertificateArns: each other stamp's ALB needs an ACM certificate of its own region. */
import * as assert from "assert";
import { loadStackFiles } from "../../engine/stackFiles";
import { parseStackConfig } from "./index";
import * as path from "path";

const PROD = loadStackFiles(path.resolve(__dirname, "../.."), "prod").config;
const AZURE = loadStackFiles(path.resolve(__dirname, "../.."), "prod-azure").config;
const withCertificates = (base: Record<string, string>, arns: Record<string, string> | undefined) => {
    const services = JSON.parse(base["intergalactic:services"]) as Record<string, unknown>;
    if (arns === undefined) delete services.regionCertificateArns;
    else services.regionCertificateArns = arns;
    return { ...base, "intergalactic:services": JSON.stringify(services) };
};
const problems = (raw: Record<string, string>, stack = "prod"): string => {
    try {
        parseStackConfig(raw, stack);
        return "";
    } catch (err) {
        return (err as Error).message;
    }
};

describe("intergalactic:services.regionCertificateArns", () => {
    it("gives each other stamp's services the certificate of its region", () => {
        assert.strictEqual(problems(PROD), "");
    });

    it("is required for every other stamp, naming the key and the region", () => {
        assert.match(problems(withCertificates(PROD, undefined)), /intergalactic:services\.regionCertificateArns\.us-east-1: .*is missing: the stamp in us-east-1/);
    });

    it("refuses a certificate of another region and a region without a stamp", () => {
        const wrong = problems(withCertificates(PROD, { "us-east-1": "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000009" }));
        assert.match(wrong, /regionCertificateArns\.us-east-1: .*is in eu-west-1, but the stamp's ALB is in us-east-1/);
        const extra = problems(withCertificates(PROD, {
            "us-east-1": "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000003",
            "us-west-2": "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-4000-8000-000000000004",
        }));
        assert.match(extra, /regionCertificateArns\.us-west-2: .*names no other stamp's region/);
    });

    it("does nothing on Azure, so it is an error there", () => {
        assert.match(problems(withCertificates(AZURE, { eastus2: "arn:aws:acm:eastus2:123456789012:certificate/x" }), "prod-azure"),
            /intergalactic:services\.regionCertificateArns: does nothing on azure/);
    });
});
