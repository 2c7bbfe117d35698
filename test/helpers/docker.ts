// The private Docker engine that the container tests and bench/container-cost.js share
// (scripts/docker-engine.js).
export {
	IMAGE,
	PODMAN_RUN_FLAGS,
	startDocker,
	startPodman,
	type TestDocker,
} from '../../scripts/docker-engine';
