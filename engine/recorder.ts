/**
 * Records every registration request the program sends to the (mock) resource
 * monitor: type, name, parent, dependencies, inputs and options, plus the state
 * the mocks answered with. This is the full resource graph, exactly as the
 * engine would see it.
 */
import * as pulumi from "@pulumi/pulumi";
import { PlannedResource } from "./format";
import { SdkMockMonitor, answerRegistrations } from "./monitor";
import { toPlain } from "./serialize";

type Callback = (err: Error | null, response?: any) => void;
interface MonitorLike {
    registerResource(req: any, callback: Callback): void;
    registerResourceOutputs(req: any, callback: Callback): void;
    readResource?(req: any, callback: Callback): void;
}

/**
 * Wraps the current monitor; the returned list fills as the program registers resources, and
 * `refused` hears of each registration the engine would refuse.
 */
export function recordRegistrations(refused?: (error: Error) => void): PlannedResource[] {
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike | undefined;
    if (!monitor) throw new Error("no resource monitor: call pulumi.runtime.setMocks first");
    const recorded: PlannedResource[] = [];
    const byUrn = new Map<string, PlannedResource>();

    // The registrations are answered here, as the SDK's mock monitor would answer them (monitor.ts),
    // so that the request's and the response's conversions serve the recorder too.
    answerRegistrations(monitor as unknown as SdkMockMonitor, ({ req, inputs }) => {
        const entry = fromRequest(req, inputs);
        recorded.push(entry);
        return entry;
    }, (entry, { urn, id, state }) => {
        entry.urn = urn;
        entry.id = id;
        entry.outputs = entry.custom ? (toPlain(state) as Record<string, unknown>) : {};
        byUrn.set(entry.urn, entry);
    }, refused);

    // Reads (a StackReference) are resources of the stack too: the engine and the policies see them.
    if (monitor.readResource) {
        const readResource = monitor.readResource.bind(monitor);
        monitor.readResource = (req, callback) => {
            const entry = fromRead(req);
            recorded.push(entry);
            readResource(req, (err, response) => {
                if (!err && response) {
                    entry.urn = response.getUrn();
                    entry.outputs = toPlain(response.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
                    byUrn.set(entry.urn, entry);
                }
                callback(err, response);
            });
        };
    }

    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
        const entry = byUrn.get(req.getUrn());
        if (entry) entry.outputs = toPlain(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        registerOutputs(req, callback);
    };
    return recorded;
}

function fromRead(req: any): PlannedResource {
    return {
        urn: "", type: req.getType(), name: req.getName(), parent: req.getParent(), dependencies: [...req.getDependenciesList()],
        inputs: toPlain(req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>, custom: true, id: req.getId(), outputs: {},
        propertyDependencies: {},
        options: { protect: false, retainOnDelete: false, deletedWith: "", ignoreChanges: [], provider: req.getProvider(), aliases: [] },
    };
}

function fromRequest(req: any, inputs: Record<string, unknown>): PlannedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    return {
        urn: "",
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent(),
        dependencies: [...req.getDependenciesList()],
        inputs: toPlain(inputs) as Record<string, unknown>,
        custom: req.getCustom(),
        id: "",
        outputs: {},
        propertyDependencies,
        options: {
            protect: req.getProtect() ?? false,
            retainOnDelete: req.getRetainondelete() ?? false,
            deletedWith: req.getDeletedwith(),
            ignoreChanges: [...req.getIgnorechangesList()],
            provider: req.getProvider(),
            // An alias as the URN it names, or the logical name of an alias spec.
            aliases: (req.getAliasesList?.() ?? []).map((a: any) => a.getUrn() || a.getSpec()?.getName() || ""),
            importId: req.getImportid() ?? "",
        },
    };
}
