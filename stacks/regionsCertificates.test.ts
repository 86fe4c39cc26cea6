/**
 * Managed certificates for the public host (`intergalactic:globalEntry.managedCertificates`, AWS):
 * one ACM certificate per stamp in its region, one validation record, every stamp's Ingress on its
 * validation's ARN; and the config errors around them.
 */
import * as assert from "assert";
import { Plan, PlannedResource } from "../engine/format";
import { loadStackFiles } from "../engine/stackFiles";
import { copyOf, stackPlan } from "../engine/testing/plan";
import { analyzeDeployability, formatDeployability } from "../engine/deployability/analyze";
import { parseStackConfig } from "./config";
import { validationOption } from "./tiers/certificates.aws";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const ofType = (plan: Plan, type: string): PlannedResource[] => plan.resources.filter((r) => r.type === type);
const prodConfig = () => loadStackFiles(ROOT, "prod").config;

/** prod's config with managed certificates on and its certificate ARNs removed (and, given, other regions). */
function managedOverrides(regions?: readonly string[]): Record<string, string> {
    const config = prodConfig();
    const services = JSON.parse(config["intergalactic:services"]);
    delete services.certificateArn;
    delete services.regionCertificateArns;
    const entry = { ...JSON.parse(config["intergalactic:globalEntry"]), managedCertificates: true };
    return {
        "intergalactic:services": JSON.stringify(services), "intergalactic:globalEntry": JSON.stringify(entry),
        ...(regions ? { "intergalactic:regions": JSON.stringify(regions) } : {}),
    };
}
const certificateRecords = (plan: Plan) => ofType(plan, "aws:route53/record:Record").filter((r) => r.name.includes("certificate"));
type Option = { domainName: string; resourceRecordName: string; resourceRecordType: string; resourceRecordValue: string };
const optionsOf = (certificate: PlannedResource) => certificate.outputs.domainValidationOptions as Option[];

describe("managed certificates for the public host (AWS)", function () {
    this.timeout(120_000);
    let plan: Plan;
    before(async () => {
        plan = await stackPlan("prod", managedOverrides());
    });

    it("issues one certificate per stamp for the host, in the stamp's region, named by region", () => {
        const certificates = ofType(plan, "aws:acm/certificate:Certificate");
        assert.deepStrictEqual(certificates.map((c) => c.name), ["entry-certificate-eu-west-1", "entry-certificate-us-east-1"]);
        for (const c of certificates) {
            assert.deepStrictEqual([c.inputs.domainName, c.inputs.validationMethod, c.inputs.keyAlgorithm], ["cookies.intergalactic.example", "DNS", "RSA_2048"]);
        }
        // The second stamp's through its region's provider, the first's through the stack's.
        assert.match(certificates[1].options.provider, /region-us-east-1/);
        assert.strictEqual(certificates[0].options.provider, "");
    });

    it("writes one validation record into the hosted zone, named by both validations", () => {
        const records = ofType(plan, "aws:route53/record:Record").filter((r) => r.name.includes("certificate"));
        assert.deepStrictEqual(records.map((r) => [r.name, r.inputs.zoneId]), [["entry-certificate-validation", "Z00000000000000000000"]]);
        const validations = ofType(plan, "aws:acm/certificateValidation:CertificateValidation");
        assert.deepStrictEqual(validations.map((v) => v.name), ["entry-certificate-issued-eu-west-1", "entry-certificate-issued-us-east-1"]);
        for (const v of validations) assert.ok(v.dependencies.includes(records[0].urn), `${v.name} names the record`);
    });

    it("writes the record from ACM's option for the host, in the form the provider stores, so the next up shows no diff", () => {
        const [record] = certificateRecords(plan);
        const [first] = ofType(plan, "aws:acm/certificate:Certificate");
        const option = optionsOf(first).find((o) => o.domainName === "cookies.intergalactic.example")!;
        assert.match(option.resourceRecordName, /\.$/, "ACM answers with a trailing dot");
        // The provider stores `name` without the trailing dot and in lower case (route53/record.go, name's StateFunc):
        // given so, the inputs equal the state and the next plan over it is empty; `records` is stored as written.
        assert.deepStrictEqual([record.inputs.name, record.inputs.type, record.inputs.records],
            [option.resourceRecordName.slice(0, -1).toLowerCase(), "CNAME", [option.resourceRecordValue]]);
        // The certificate's own inputs in the provider's form: a domain name without a trailing dot (the provider
        // refuses one), the KeyAlgorithm enum as the provider reads it back (RSA_2048, not DescribeCertificate's
        // RSA-2048), and no subjectAlternativeNames, which the provider computes (adding the domain name).
        for (const c of ofType(plan, "aws:acm/certificate:Certificate")) {
            assert.strictEqual(c.inputs.subjectAlternativeNames, undefined, c.name);
            assert.doesNotMatch(String(c.inputs.domainName), /\.$|[A-Z]/, c.name);
        }
    });

    it("shares the one record with every region's certificate and with certificates of the host outside the stack", () => {
        const [record] = certificateRecords(plan);
        // ACM gives one CNAME per name and account whatever the region (hashicorp/terraform-provider-aws#13653, #9666):
        // each certificate asks for the very record the stack writes.
        for (const c of ofType(plan, "aws:acm/certificate:Certificate")) {
            assert.strictEqual(optionsOf(c)[0].resourceRecordName.slice(0, -1), record.inputs.name, c.name);
        }
        // Written over one that exists (an UPSERT, not a CREATE that fails "already exists") and left in place on delete,
        // where the provider would delete the live record set whatever else relies on it (route53/record.go).
        assert.strictEqual(record.inputs.allowOverwrite, true);
        assert.strictEqual(record.options.retainOnDelete, true);
    });

    it("has every stamp's Ingress wait for its own region's issued certificate, and the analysis holds it", () => {
        const validations = ofType(plan, "aws:acm/certificateValidation:CertificateValidation");
        const ingresses = ofType(plan, "kubernetes:networking.k8s.io/v1:Ingress");
        assert.strictEqual(ingresses.length, 2);
        ingresses.forEach((ingress, i) => {
            const arn = (ingress.inputs.metadata as { annotations: Record<string, string> }).annotations["alb.ingress.kubernetes.io/certificate-arn"];
            assert.strictEqual(arn, validations[i].outputs.certificateArn);
            assert.match(arn, new RegExp(`^arn:aws:acm:${["eu-west-1", "us-east-1"][i]}:`), "each ALB takes a certificate of its own region");
            assert.ok(ingress.dependencies.includes(validations[i].urn), `${ingress.name} waits for ${validations[i].name}`);
        });
        const report = analyzeDeployability(plan);
        assert.deepStrictEqual(report.findings.map((f) => `${f.name} [${f.gate}] ${f.missing}`), [], formatDeployability(report));
    });
});

describe("managed certificates when a region is added or removed", function () {
    this.timeout(240_000);

    it("keeps the validation record, its inputs and its certificate when a region other than the first comes or goes", async () => {
        const three = await stackPlan("prod", managedOverrides(["eu-west-1", "us-east-1", "us-west-2"]));
        const two = await stackPlan("prod", managedOverrides());
        const [before] = certificateRecords(three);
        const [after] = certificateRecords(two);
        assert.deepStrictEqual([after.urn, after.inputs, after.dependencies], [before.urn, before.inputs, before.dependencies]);
        assert.deepStrictEqual(ofType(three, "aws:acm/certificate:Certificate").map((c) => c.name),
            ["entry-certificate-eu-west-1", "entry-certificate-us-east-1", "entry-certificate-us-west-2"]);
        assert.strictEqual(ofType(three, "aws:acm/certificateValidation:CertificateValidation").length, 3);
    });
});

describe("the deployability analysis of an Ingress on a certificate of the plan", function () {
    this.timeout(120_000);

    it("names an Ingress that does not wait for its certificate's validation", async () => {
        const plan = copyOf(await stackPlan("prod", managedOverrides()));
        const validations = new Set(ofType(plan, "aws:acm/certificateValidation:CertificateValidation").map((v) => v.urn));
        const [ingress] = ofType(plan, "kubernetes:networking.k8s.io/v1:Ingress");
        // As if the Ingress named the certificate's ARN straight from the certificate, before its issue.
        const edited = ingress as { dependencies: string[]; propertyDependencies: Record<string, string[]> };
        edited.dependencies = ingress.dependencies.filter((d) => !validations.has(d));
        for (const key of Object.keys(edited.propertyDependencies)) edited.propertyDependencies[key] = edited.propertyDependencies[key].filter((d) => !validations.has(d));
        const findings = analyzeDeployability(plan).findings.filter((f) => f.gate === "certificate-issued");
        assert.deepStrictEqual(findings.map((f) => [f.name, f.missing]), [[ingress.name, "aws:acm/certificateValidation:CertificateValidation entry-certificate-issued-eu-west-1"]]);
    });
});

describe("managed certificates' config errors", () => {
    const parse = (overrides: Record<string, string>, stack = "prod") => () => parseStackConfig({ ...loadStackFiles(ROOT, stack).config, ...overrides }, stack);

    it("refuses a certificate ARN given beside managed certificates, naming each key", () => {
        const entry = JSON.stringify({ ...JSON.parse(prodConfig()["intergalactic:globalEntry"]), managedCertificates: true });
        assert.throws(parse({ "intergalactic:globalEntry": entry }), (e: Error) =>
            /intergalactic:services\.certificateArn: "arn:aws:acm:eu-west-1:[^"]+" is given with intergalactic:globalEntry\.managedCertificates: true/.test(e.message)
            && /intergalactic:services\.regionCertificateArns\.us-east-1: "arn:aws:acm:us-east-1:[^"]+" is given with/.test(e.message));
    });

    it("refuses a host longer than ACM's 64-character domain name, naming the key, the value and the rule", () => {
        const host = `${"a".repeat(56)}.example.com`;
        const services = { ...JSON.parse(managedOverrides()["intergalactic:services"]), host };
        assert.throws(parse({ ...managedOverrides(), "intergalactic:services": JSON.stringify(services) }),
            new RegExp(`intergalactic:services\\.host: "${host}" is 68 characters: .*ACM certificate's domain name \\(its Common Name\\), which ACM limits to 64 characters`));
        assert.doesNotThrow(parse({ ...managedOverrides(), "intergalactic:services": JSON.stringify({ ...services, host: `${"a".repeat(52)}.example.com` }) }));
    });

    it("fails with the key, the host and ACM's names when the certificate has no validation record for the host", () => {
        const record = { resourceRecordName: "_a.www.example.com.", resourceRecordType: "CNAME", resourceRecordValue: "_b.acm-validations.aws." };
        assert.throws(() => validationOption([{ domainName: "www.example.com", ...record }], "cookies.example.com"),
            /^Error: intergalactic:services\.host: "cookies\.example\.com" has no DNS validation record in its ACM certificate \(ACM answered for "www\.example\.com"\)/);
        assert.throws(() => validationOption([], "cookies.example.com"), /ACM answered for no name/);
        assert.strictEqual(validationOption([{ domainName: "cookies.example.com", ...record }], "cookies.example.com").resourceRecordName, "_a.www.example.com.");
    });

    it("refuses managed certificates on a stack of one region and on Azure", () => {
        assert.throws(parse({ "intergalactic:globalEntry": JSON.stringify({ managedCertificates: true }) }, "dev"),
            /intergalactic:globalEntry\.managedCertificates: true does nothing here/);
        assert.throws(parse({ "intergalactic:globalEntry": JSON.stringify({ managedCertificates: true }) }, "prod-azure"),
            /intergalactic:globalEntry\.managedCertificates.*Front Door issues the host's managed certificate/);
    });
});
