/** bpmn-js's styles, loaded with the diagram viewer only (dynamic import from detail.ts). */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
