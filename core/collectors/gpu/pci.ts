import { promises as fs } from 'node:fs';
import { basename } from 'node:path';

/*
 * The PCI bus as a second witness when a vendor tool says "no GPU" or "no driver". nvidia-smi
 * failing with "couldn't communicate with the NVIDIA driver" means two very different things:
 * on a machine that has an NVIDIA GPU it is an outage (the driver crashed or was not rebuilt
 * after a kernel update) that monitoring must report; on one that merely has the utilities
 * installed (a CI image, a cloud VM without its GPU) it is simply "no GPU". Reading
 * /sys/bus/pci/devices costs a few small file reads and tells the two apart.
 */

export const VENDOR_IDS = { nvidia: '0x10de', amd: '0x1002' } as const;

/** PCI base class 0x03 (display controller): VGA 0x0300, 3D controller 0x0302, other 0x0380. */
function isDisplayClass(classCode: string): boolean {
	return /^0x03[0-9a-f]{4}$/i.test(classCode.trim());
}

/** Drivers that hand a device to a virtual machine: such a GPU is not this host's to monitor. */
const PASSTHROUGH_DRIVERS = new Set(['vfio-pci', 'pci-stub']);

/** PCI addresses of display devices of the vendor that this host itself drives (or should). */
export async function pciGpus(sysRoot: string, vendor: keyof typeof VENDOR_IDS): Promise<string[]> {
	const dir = `${sysRoot}/bus/pci/devices`;
	let entries: string[];
	try {
		entries = await fs.readdir(dir);
	} catch {
		return [];
	}
	const found = await Promise.all(
		entries.map(async (addr) => {
			const [v, c, driver] = await Promise.all([
				fs.readFile(`${dir}/${addr}/vendor`, 'utf8').catch(() => ''),
				fs.readFile(`${dir}/${addr}/class`, 'utf8').catch(() => ''),
				fs.readlink(`${dir}/${addr}/driver`).then(basename, () => ''),
			]);
			const ours = v.trim().toLowerCase() === VENDOR_IDS[vendor] && isDisplayClass(c);
			return ours && !PASSTHROUGH_DRIVERS.has(driver) ? addr : null;
		}),
	);
	return found.filter((a): a is string => a !== null).sort();
}
