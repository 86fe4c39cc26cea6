/**
 * The working copy's stack file, left as it was found: the scheduler writes
 * the restore config, the snapshot suffix and a point in time into it for one
 * operation (Pulumi reads config only from there), and a person's checkout
 * must not keep them. A stale `mongo.restoreTimestampUtc` without a restore
 * fails validation, and a kept suffix makes a later deletion reuse a snapshot
 * name (SnapshotAlreadyExistsFault). The file is put back byte for byte.
 */
import * as fs from "fs";
import * as path from "path";
import { Problems } from "../components/common/validation";
import { loadStackFiles } from "../engine/stackFiles";
import { ConfigObject } from "../stacks/config/reader";
import { parseSnapshots } from "../stacks/config/snapshots";
import { CONFIG_NAMESPACE } from "./inventory";
import { shortStackName } from "./stackName";

/** The names Pulumi looks for a stack's config under, in its order. */
const EXTENSIONS = [".yaml", ".yml", ".json"];

export async function keepingStackFile<T>(workDir: string, stackName: string, log: (line: string) => void, run: () => Promise<T>): Promise<T> {
    const files = EXTENSIONS.map((ext) => path.join(workDir, `Pulumi.${shortStackName(stackName)}${ext}`));
    const before = new Map(files.map((f) => [f, fs.existsSync(f) ? fs.readFileSync(f) : undefined]));
    try {
        return await run();
    } finally {
        for (const [file, content] of before) {
            try {
                if (content === undefined) fs.rmSync(file, { force: true });
                else fs.writeFileSync(file, content);
            } catch (err) {
                log(`config: could not put ${file} back as it was (${(err as Error).message}); remove the scheduler's intergalactic:snapshots keys from it by hand`);
            }
        }
    }
}

/**
 * `intergalactic:snapshots.finalSnapshotSuffix` of the working copy's stack file (`final` when unset): the suffix a
 * person's own `up` arms, so the name a deletion after such an `up` takes. Undefined when the file cannot be read
 * as the stack config (the run's other reads say why).
 */
export function stackFileSuffix(workDir: string, stackName: string): string | undefined {
    try {
        const problems = new Problems("stack config");
        const { finalSnapshotSuffix } = parseSnapshots(ConfigObject.namespace(CONFIG_NAMESPACE, loadStackFiles(workDir, shortStackName(stackName)).config, problems).object("snapshots"));
        return problems.count === 0 ? finalSnapshotSuffix : undefined;
    } catch {
        return undefined;
    }
}
