/**
 * 流程实例 / Process instances: the search list (#/instances?…) and an instance's page
 * (#/instances/<key>). The shell hands over what follows 'instances' in the hash.
 */
import type { Me } from '../../api/types.js';
import { replace } from '../../dom.js';
import type { View } from '../view.js';
import { instancePage, type InstancePage } from './detail.js';
import { instanceList } from './list.js';
import { tx } from './text.js';
import './instances.css';

export function instancesView(me: Me): View {
  const list = instanceList();
  const element = document.createElement('div');
  element.className = 'instances-root';
  let page: InstancePage | undefined;

  return {
    element,
    show(rest = '') {
      const key = /^([1-9][0-9]{0,18})\/?$/.exec(rest)?.[1];
      page?.destroy();
      page = undefined;
      if (key) {
        page = instancePage(me, key, list.hash());
        replace(element, page.element);
        document.title = `${tx('instanceTitle', key)} · ${document.title.split(' · ').pop() ?? ''}`;
      } else {
        if (list.element.parentElement !== element) replace(element, list.element);
        // back from elsewhere through the navigation link: the last search again, not an empty one
        const remembered = list.hash();
        if (rest === '' && remembered !== '#/instances') history.replaceState(null, '', remembered);
        list.open(rest.startsWith('?') ? rest : remembered.slice('#/instances'.length));
      }
    },
    dispose() {
      page?.destroy();
    },
  };
}
