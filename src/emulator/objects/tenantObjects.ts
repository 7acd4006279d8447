import type { Fleet } from '../fleet/index.js';
import { ActionBook } from './actions.js';
import { GroupCatalogue } from './groupCatalogue.js';
import { PackageCatalogue } from './packages.js';
import { PatchDeploymentBook } from './patchDeployments.js';
import { PlaybookBook } from './playbookSchedules.js';
import { ReportBook } from './reports.js';
import { SensorCatalogue } from './sensorCatalogue.js';

/** Everything clients may create, change or delete, one store per kind (see each file). */
export class TenantObjects {
  readonly groups: GroupCatalogue;
  readonly sensors: SensorCatalogue;
  readonly packages: PackageCatalogue;
  readonly actions = new ActionBook();
  readonly patchDeployments = new PatchDeploymentBook();
  readonly reports: ReportBook;
  readonly playbooks: PlaybookBook;

  constructor(fleet: Fleet, epochMs: number) {
    this.groups = new GroupCatalogue(fleet, epochMs);
    this.sensors = new SensorCatalogue(fleet, epochMs);
    this.packages = new PackageCatalogue(epochMs);
    this.reports = new ReportBook(epochMs);
    this.playbooks = new PlaybookBook(epochMs);
  }
}
