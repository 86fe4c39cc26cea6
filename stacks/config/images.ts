/**
 * Image pinning: a tag can be pushed again with other content, so what a tag names can change
 * between two rollouts or two nodes pulling it; a digest names the content itself. Prod runs only
 * digests (Kubernetes: "the image is identified by digest, so the same image runs every time",
 * https://kubernetes.io/docs/concepts/containers/images/#image-names).
 */
import { IMAGE_DIGEST } from "../../components/services";
import { Problems } from "../../components/common";
import type { StackConfig } from "./index";

const KEY = "intergalactic:services";

/** True when the service's image reference is pinned by a digest, from its image, its tag or `imageTag`. */
function pinned(image: string, tag: string | undefined): boolean {
    return image.includes("@sha256:") || (tag !== undefined && IMAGE_DIGEST.test(tag));
}

export function checkImagePinning(config: StackConfig, problems: Problems): void {
    const services = config.services;
    if (!services.enabled || config.environment !== "prod") return;
    services.services.forEach((spec, i) => {
        if (pinned(spec.image, spec.tag ?? services.imageTag)) return;
        const listed = services.servicesListed ? ` or pin ${KEY}.services[${i}].image as <repository>@sha256:<digest>` : "";
        problems.add(`${KEY}.imageDigests.${spec.name}: missing: a prod stack runs every image by digest (sha256:<64 hex digits>), ` +
            `because a tag can be pushed again with other content; set it${listed} (${spec.image} is pinned only by tag ${JSON.stringify(spec.tag ?? services.imageTag ?? "")})`);
    });
}
