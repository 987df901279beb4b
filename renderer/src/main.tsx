// Entry: connect, ask for the first page of the list, then load the screens. Kept small on purpose:
// everything imported here is parsed and run before the first page can be asked for.
import { connect } from './api/connect';
import { prefetchFirstPage } from './api/first-page';
import { hashToFilter, hashToSort } from './model/filter-hash';
import { PAGE_SIZE } from './model/page-size';
import { startTheme } from './lib/theme';
import './styles.css';

startTheme();

const client = connect();
prefetchFirstPage(client, hashToFilter(window.location.hash), hashToSort(window.location.hash), PAGE_SIZE);

void import('./root').then((m) => m.mount(client));
