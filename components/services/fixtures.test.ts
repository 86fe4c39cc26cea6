/**
 * Fixtures shared by the CookieServices tests: valid args per cloud, fake data
 * store outputs, and the Kubernetes checks of the test kit bound to this
 * component's Secret keys. Named `.test.ts` so that every build, package and
 * layer rule that keeps tests out of the shipped library keeps it out too.
 */
import * as pulumi from "@pulumi/pulumi";
import { Plan, PlannedResource } from "../../engine/format";
import * as kit from "../../engine/testing/kubernetes";
import { ConnectionInfo, Credentials } from "../common/dataStore";
import { NetworkFacts, SubnetFacts } from "../network/facts";
import { CookieServicesArgs, DataStoreConnectionArgs } from "./cookieServices";
import { SECRET_KEYS, WRITER_SECRET_KEYS } from "./wiring";

export type { Manifest } from "../../engine/testing/kubernetes";
export { kubernetesResources, selects, testProvider, typeMetaOf, validateManifest, withoutStackTraces } from "../../engine/testing/kubernetes";

const SECRET_KEY_NAMES = [...Object.keys(SECRET_KEYS), ...Object.keys(WRITER_SECRET_KEYS)];

/** The manifest of a recorded object; a redacted Secret gets one placeholder per key of the wiring. */
export const manifestOf = (resource: PlannedResource): kit.Manifest => kit.manifestOf(resource, SECRET_KEY_NAMES);
/** Manifests of one kind. */
export const manifests = (plan: Plan, kind: string): kit.Manifest[] => kit.manifests(plan, kind, SECRET_KEY_NAMES);
/** Every selector and reference points at something that exists; env vars name only the wiring's Secret keys. */
export const assertConsistent = (plan: Plan): void => kit.assertConsistent(plan, SECRET_KEY_NAMES);

/** A fake credential that must never appear in a recorded manifest. */
export const FAKE_PASSWORD = "s3cr3t-Passw0rd-never-in-a-manifest";

/** A data store's outputs as the data-tier components export them: connection plain, credentials secret. */
export function fakeStore(kind: string, port: number): DataStoreConnectionArgs {
    const host = `${kind}.data.internal`;
    const connection: ConnectionInfo = { host, endpoints: [`${host}:${port}`], port, tls: true, authMechanism: "password" };
    const credentials: Credentials = { username: `${kind}-user`, password: `${FAKE_PASSWORD}-${kind}`, connectionString: `${kind}://${kind}-user:${FAKE_PASSWORD}-${kind}@${host}:${port}` };
    return { connection: pulumi.output(connection), credentials: pulumi.secret(credentials) };
}

export const ALB_CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";
export const CLOUDFRONT_CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809";
export const KEY_VAULT_CERTIFICATE = "https://cookies-kv.vault.azure.net/certificates/cookies-tls";
export const DATA_CIDRS = ["10.20.20.0/22", "10.20.52.0/22", "10.20.84.0/22"];
export const LOAD_BALANCER_CIDRS = ["10.20.16.0/22", "10.20.48.0/22", "10.20.80.0/22"];
export const TOPICS = ["cookie-baked", "cookie-mixed", "cookie-packed"];
const APP_CIDRS = ["10.20.0.0/20", "10.20.32.0/20", "10.20.64.0/20"];
const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

/** A three-zone AWS network's facts, as `Vpc3Az.facts()` gives them: its public subnets are `subnet-0a`, `-0b` and `-0c`. */
export function awsNetwork(): NetworkFacts {
    const subnet = (tier: SubnetFacts["tier"], cidrs: readonly string[], id: (i: number) => pulumi.Input<string>): SubnetFacts[] =>
        cidrs.map((cidr, i) => ({ id: id(i), tier, zone: ZONES[i], cidr }));
    return {
        cloud: "aws", networkId: "vpc-0123", cidrBlock: "10.20.0.0/16", zones: [...ZONES],
        subnets: [
            ...subnet("public", LOAD_BALANCER_CIDRS, (i) => (i === 2 ? pulumi.output("subnet-0c") : `subnet-0${"abc"[i]}`)),
            ...subnet("app", APP_CIDRS, (i) => `subnet-app-${i}`),
            ...subnet("data", DATA_CIDRS, (i) => `subnet-data-${i}`),
        ],
        egressIps: [],
    };
}

/** The same layout as an Azure VNet: regional subnets, one per tier, in the network's resource group. */
export function azureNetwork(): NetworkFacts {
    const id = (name: string) => `/subscriptions/0/resourceGroups/cookies-rg/providers/Microsoft.Network/virtualNetworks/net/subnets/${name}`;
    return {
        cloud: "azure", networkId: id("").replace(/\/subnets\/$/, ""), cidrBlock: "10.20.0.0/16", zones: ["1", "2", "3"], resourceGroupName: "cookies-rg",
        subnets: [
            { id: id("public"), tier: "public", zone: "", cidr: "10.20.16.0/22" },
            { id: id("app"), tier: "app", zone: "", cidr: "10.20.0.0/20" },
            { id: id("data"), tier: "data", zone: "", cidr: DATA_CIDRS[0] },
        ],
        egressIps: [],
    };
}

/** Valid args on AWS for the cookie pipeline, with `extra` merged over them. */
export function awsArgs(extra: Partial<CookieServicesArgs> = {}): CookieServicesArgs {
    return {
        cloud: "aws", imageTag: "1.4.2",
        redis: fakeStore("redis", 6379), mongo: fakeStore("mongo", 27017), kafka: fakeStore("kafka", 9096),
        kafkaTopics: TOPICS, network: awsNetwork(),
        ingress: { host: "cookies.example.com", aws: { certificateArn: ALB_CERTIFICATE } },
        ...extra,
    };
}

/** Valid args on Azure for the cookie pipeline, with `extra` merged over them. */
export function azureArgs(extra: Partial<CookieServicesArgs> = {}): CookieServicesArgs {
    return {
        ...awsArgs(),
        cloud: "azure",
        network: azureNetwork(),
        ingress: { host: "cookies.example.com", azure: { keyVaultCertificateUri: KEY_VAULT_CERTIFICATE } },
        ...extra,
    };
}

