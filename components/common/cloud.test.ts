import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CLOUDS, CLOUD_SDKS, Cloud, KUBERNETES_SDK, MissingCloudSdkError, PerCloud, implementationFor, requireKubernetesSdk } from "./cloud";

/** What Node throws for `require(name)` when the package is not installed. */
function notFound(name: string): Error {
    return Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- /app/node_modules/intergalactic-infra/dist/network/vpc3az.aws.js`), { code: "MODULE_NOT_FOUND" });
}

describe("loading a cloud's implementation", () => {
    it("names the package to install, with its version range, when the cloud's SDK is missing", () => {
        assert.throws(
            () => implementationFor(Cloud.Aws, { aws: () => { throw notFound("@pulumi/aws"); }, azure: () => 1 }),
            (err: Error) => err instanceof MissingCloudSdkError
                && err.message === "Components built for aws need @pulumi/aws, which is not installed in this project: run npm install @pulumi/aws@^7.48.0",
        );
    });

    it("also recognises a missing SDK required through a submodule path", () => {
        assert.throws(
            () => implementationFor(Cloud.Azure, { aws: () => 1, azure: () => { throw notFound("@pulumi/azure-native/network"); } }),
            /Components built for azure need @pulumi\/azure-native, which is not installed in this project: run npm install @pulumi\/azure-native@\^3\.28\.0/,
        );
    });

    it("leaves any other missing module as Node reported it", () => {
        assert.throws(
            () => implementationFor(Cloud.Aws, { aws: () => { throw notFound("@pulumi/random"); }, azure: () => 1 }),
            (err: Error) => !(err instanceof MissingCloudSdkError) && /Cannot find module '@pulumi\/random'/.test(err.message),
        );
    });

    it("names @pulumi/kubernetes when the cloud's implementation needs it and the project has not installed it (EKS installs charts)", () => {
        assert.throws(
            () => implementationFor(Cloud.Aws, { aws: () => { throw notFound("@pulumi/kubernetes"); }, azure: () => 1 }),
            (err: Error) => err instanceof MissingCloudSdkError && err.name === "MissingCloudSdkError"
                && err.message === "Components built for aws need @pulumi/kubernetes, which is not installed in this project: run npm install @pulumi/kubernetes@^4.34.2",
        );
    });

    it("loads @pulumi/kubernetes for a module that needs it on import, where it is installed", () => {
        assert.doesNotThrow(() => requireKubernetesSdk("intergalactic-infra/services"));
    });

    it("lists @pulumi/kubernetes as an optional peer dependency (not a dependency) with the range its error names", () => {
        const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));
        const { packageName, versionRange } = KUBERNETES_SDK;
        assert.strictEqual(manifest.peerDependencies?.[packageName], versionRange);
        assert.deepStrictEqual(manifest.peerDependenciesMeta?.[packageName], { optional: true });
        assert.strictEqual(manifest.dependencies?.[packageName], undefined);
        assert.ok(manifest.devDependencies?.[packageName]);
    });

    it("lists each cloud's SDK as an optional peer dependency of the package, with the same range, and installs it for development", () => {
        const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));
        for (const cloud of CLOUDS) {
            const { packageName, versionRange } = CLOUD_SDKS[cloud];
            assert.strictEqual(manifest.peerDependencies?.[packageName], versionRange, `peerDependencies.${packageName}`);
            assert.deepStrictEqual(manifest.peerDependenciesMeta?.[packageName], { optional: true }, `peerDependenciesMeta.${packageName}`);
            assert.strictEqual(manifest.dependencies?.[packageName], undefined, `${packageName} is not a dependency`);
            assert.ok(manifest.devDependencies?.[packageName], `devDependencies.${packageName}`);
        }
    });
});

describe("per-cloud rules", () => {
    it("are tables the compiler checks: one that leaves out a cloud does not compile", () => {
        // @ts-expect-error a table without azure is a type error, so a new cloud cannot silently take another's value
        const partial: PerCloud<number> = { aws: 1 };
        const complete: PerCloud<number> = { aws: 1, azure: 2 };
        assert.deepStrictEqual([Object.keys(partial), CLOUDS.map((c) => complete[c])], [[Cloud.Aws], [1, 2]]);
    });
});
