// Every migration, in order. Explicit classes (no globs) so ts-jest, dist and the CLI see the same list.
import { CreateRegions1764100000000 } from './1764100000000-CreateRegions';
import { CreateEngine1764200000000 } from './1764200000000-CreateEngine';
import { CreateIdentity1764300000000 } from './1764300000000-CreateIdentity';
import { CreateAudit1764300000001 } from './1764300000001-CreateAudit';
import { CreateCalendar1764400000000 } from './1764400000000-CreateCalendar';
import { CreateNotify1764500000000 } from './1764500000000-CreateNotify';
import { TaskQueues1764500000001 } from './1764500000001-TaskQueues';
import { CreateForms1764500000002 } from './1764500000002-CreateForms';
import { ClockPauses1764500000003 } from './1764500000003-ClockPauses';
import { CreateHousing1764500000004 } from './1764500000004-CreateHousing';
import { CreateApplications1764500000005 } from './1764500000005-CreateApplications';
import { CreateDecisions1764500000006 } from './1764500000006-CreateDecisions';
import { CreatePublicity1764500000007 } from './1764500000007-CreatePublicity';
import { CreateWaitingList1764500000008 } from './1764500000008-CreateWaitingList';
import { ApplicationProcess1764500000009 } from './1764500000009-ApplicationProcess';
import { WaitingListTermSealedFacts1764500000010 } from './1764500000010-WaitingListTermSealedFacts';
import { SealBeneficiaryFacts1764500000011 } from './1764500000011-SealBeneficiaryFacts';
import { JobAffinity1764500000012 } from './1764500000012-JobAffinity';
import { WaitingListEnqueueAnnounced1764500000013 } from './1764500000013-WaitingListEnqueueAnnounced';

export const MIGRATIONS = [CreateRegions1764100000000, CreateEngine1764200000000, CreateIdentity1764300000000, CreateAudit1764300000001, CreateCalendar1764400000000, CreateNotify1764500000000, TaskQueues1764500000001, CreateForms1764500000002, ClockPauses1764500000003, CreateHousing1764500000004, CreateApplications1764500000005, CreateDecisions1764500000006, CreatePublicity1764500000007, CreateWaitingList1764500000008, ApplicationProcess1764500000009, WaitingListTermSealedFacts1764500000010, SealBeneficiaryFacts1764500000011, JobAffinity1764500000012, WaitingListEnqueueAnnounced1764500000013];
