import { useTranslation } from 'react-i18next';
import { ReliabilityChart, useFormat } from '../charts';
import { type Metrics, type ModelCard, modelTag } from '../../ml';

function MetricsRow({ name, m }: { name: string; m: Metrics }) {
  const f = useFormat();
  const { t } = useTranslation('library');
  return (
    <tr>
      <th scope="row">{name}</th>
      <td className="num">{f.int(m.n)}</td>
      <td className="num">
        {f.num(m.auc)}
        {m.aucCI95 && <span className="muted"> ({t('ciShort', { lo: f.num(m.aucCI95[0]), hi: f.num(m.aucCI95[1]) })})</span>}
      </td>
      <td className="num">{f.pct(m.accuracy)}</td>
      <td className="num">{f.pct(m.sensitivity)}</td>
      <td className="num">{f.pct(m.specificity)}</td>
      <td className="num">{f.num(m.threshold)}</td>
    </tr>
  );
}

/** Everything the card says, in the order a clinician asks: what for, how good, on what data, what not to do. */
export default function ModelDetails({ card }: { card: ModelCard }) {
  const { t } = useTranslation('library');
  const f = useFormat();
  const rel = card.metrics.reliability;
  return (
    <div className="model-details" data-testid="model-details">
      <h2>
        {card.name} <span className="muted">{modelTag(card)}</span>
      </h2>
      <dl className="facts">
        <dt>{t('task')}</dt>
        <dd>{card.task}</dd>
        <dt>{t('intendedUse')}</dt>
        <dd>{card.intendedUse}</dd>
        <dt>{t('labels')}</dt>
        <dd>
          {card.labels.join(', ')} — {t('positive', { label: card.positiveLabel })}
        </dd>
        <dt>{t('modalities')}</dt>
        <dd>
          {card.modalities.join(', ')} · {card.bodyPart}
        </dd>
        <dt>{t('threshold')}</dt>
        <dd>{f.num(card.threshold)}</dd>
        <dt>{t('unsureBand')}</dt>
        <dd>
          {f.num(card.unsureBand.low)}–{f.num(card.unsureBand.high)} <span className="muted">({card.unsureBand.rule})</span>
        </dd>
        <dt>{t('temperature')}</dt>
        <dd>{f.num(card.temperature)}</dd>
        <dt>{t('input')}</dt>
        <dd>
          {card.input.size[0]}×{card.input.size[1]}, {t('channels', { count: card.input.channels })}, {card.input.fit}, {card.input.window.kind}, {card.input.normalization.kind}
        </dd>
        <dt>{t('ood')}</dt>
        <dd>
          {card.gate
            ? `${card.gate.id}@${card.gate.version} (${card.gate.method}, ${card.gate.trunk.id}@${card.gate.trunk.version}): ${card.gate.thresholdRule}`
            : card.ood ? `${card.ood.method}: ${card.ood.thresholdRule}` : t('noOod')}
        </dd>
        {card.population && (
          <>
            <dt>{t('population')}</dt>
            <dd>{t('populationAges', { min: card.population.ageYears.min, max: card.population.ageYears.max })}</dd>
          </>
        )}
      </dl>

      <h3>{t('limitations')}</h3>
      <ul>
        {card.limitations.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>

      <h3>{t('metrics')}</h3>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('split')}</th>
            <th scope="col" className="num">
              n
            </th>
            <th scope="col" className="num">
              AUC
            </th>
            <th scope="col" className="num">
              {t('accuracy')}
            </th>
            <th scope="col" className="num">
              {t('sensitivity')}
            </th>
            <th scope="col" className="num">
              {t('specificity')}
            </th>
            <th scope="col" className="num">
              {t('threshold')}
            </th>
          </tr>
        </thead>
        <tbody>
          <MetricsRow name={t('validation')} m={card.metrics.validation} />
          {card.metrics.test && <MetricsRow name={t('test')} m={card.metrics.test} />}
        </tbody>
      </table>

      <h3>{t('calibration')}</h3>
      {card.metrics.ece && (
        <p>{t('eceLine', { before: f.num(card.metrics.ece.before), after: f.num(card.metrics.ece.after), bins: card.metrics.ece.bins })}</p>
      )}
      {rel ? (
        <ReliabilityChart
          binCenters={rel.binCenters}
          accuracy={rel.accuracy.map((v) => (v == null ? NaN : v))}
          confidence={rel.confidence.map((v) => (v == null ? NaN : v))}
          counts={rel.counts}
          ece={card.metrics.ece?.after}
          title={t('reliabilityTitle')}
        />
      ) : (
        <p className="muted">{t('noReliability')}</p>
      )}

      <h3>{t('trainingData')}</h3>
      <dl className="facts">
        <dt>{t('description')}</dt>
        <dd>{card.trainingData.description}</dd>
        <dt>{t('licence')}</dt>
        <dd>{card.trainingData.licence}</dd>
        <dt>{t('counts')}</dt>
        <dd>
          {Object.entries(card.trainingData.counts)
            .map(([k, v]) => `${k}: ${f.int(v)}`)
            .join(', ')}
        </dd>
        <dt>{t('splitRule')}</dt>
        <dd>{card.trainingData.split}</dd>
        <dt>{t('trained')}</dt>
        <dd>
          {f.date(card.training.date)} · {t(`mode_${card.training.mode}`)}
          {card.training.baseModel && ` · ${t('base', { base: card.training.baseModel })}`}
          {card.training.epochs != null && ` · ${t('epochs', { count: card.training.epochs })}`}
          {card.training.seconds != null && ` · ${t('seconds', { s: f.num(card.training.seconds, 0) })}`} · {card.training.tool}
        </dd>
      </dl>

      {card.history && card.history.length > 0 && (
        <>
          <h3>{t('history')}</h3>
          <ul>
            {card.history.map((h, i) => (
              <li key={i}>
                {f.date(h.date)} — {t(`action_${h.action}`, { defaultValue: h.action })}
                {h.n != null && ` (n=${h.n})`}
                {h.detail && `: ${h.detail}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
